using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// A message framed once and sent to many connections: a server's frames are unmasked, so the same bytes serve every
/// peer, and a broadcast costs one serialisation however many subscribers it has. Immutable and thread-safe.
/// Connections that negotiated permessage-deflate receive it uncompressed, which RFC 7692 allows for any message.
/// </summary>
public sealed class PreparedMessage
{
    private PreparedMessage(MessageType type, ReadOnlyMemory<byte> payload, byte[] frame)
    {
        Type = type;
        Payload = payload;
        Frame = frame;
    }

    /// <summary>Text or binary.</summary>
    public MessageType Type { get; }

    /// <summary>The payload bytes (used when a client-role connection must mask it itself).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The complete unmasked frame, header included.</summary>
    internal ReadOnlyMemory<byte> Frame { get; }

    /// <summary>Frames a UTF-8 text message.</summary>
    public static PreparedMessage CreateText(string text) => Create(MessageType.Text, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Frames a message whose payload is already encoded (UTF-8 for text; it is validated).</summary>
    public static PreparedMessage Create(MessageType type, ReadOnlySpan<byte> payload)
    {
        if (type is not (MessageType.Text or MessageType.Binary))
            throw new ArgumentOutOfRangeException(nameof(type), type, "A prepared message is text or binary.");
        if (type == MessageType.Text && !Utf8Validator.IsValid(payload))
            throw new ArgumentException("A text message must be valid UTF-8.", nameof(payload));
        var header = new FrameHeader(type == MessageType.Text ? Opcode.Text : Opcode.Binary, fin: true, payload.Length);
        var frame = new byte[header.Length + payload.Length];
        int n = header.WriteTo(frame);
        payload.CopyTo(frame.AsSpan(n));
        return new PreparedMessage(type, frame.AsMemory(n), frame);
    }
}
