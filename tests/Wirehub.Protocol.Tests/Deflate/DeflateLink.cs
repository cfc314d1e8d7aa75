using System.Buffers;
using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>
/// Both ends of one compressed direction: a sender in one role and a receiver in the other, sharing one agreement,
/// as a server and a client would after the handshake.
/// </summary>
internal sealed class DeflateLink : IDisposable
{
    public DeflateLink(PerMessageDeflateParameters agreed, WebSocketRole senderRole,
        PerMessageDeflateOptions? options = null)
    {
        options ??= new PerMessageDeflateOptions();
        WebSocketRole receiverRole = senderRole == WebSocketRole.Server ? WebSocketRole.Client : WebSocketRole.Server;
        Sender = new PerMessageDeflate(agreed, senderRole, options);
        Receiver = new PerMessageDeflate(agreed, receiverRole, options);
    }

    public PerMessageDeflate Sender { get; }

    public PerMessageDeflate Receiver { get; }

    public static PerMessageDeflateParameters Parameters(int serverBits = 15, int clientBits = 15,
        bool serverNoContextTakeover = false, bool clientNoContextTakeover = false) =>
        new(serverNoContextTakeover, clientNoContextTakeover, serverBits, clientBits);

    /// <summary>Compresses a whole message in one call.</summary>
    public static byte[] Compress(PerMessageDeflate deflate, ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>();
        deflate.Compress(message, endOfMessage: true, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Inflates a whole message in one call.</summary>
    public static (InflateStatus Status, byte[] Message) Decompress(PerMessageDeflate deflate,
        ReadOnlySpan<byte> payload, long maxOutputBytes = long.MaxValue)
    {
        var output = new ArrayBufferWriter<byte>();
        InflateStatus status = deflate.Decompress(payload, endOfMessage: true, output, maxOutputBytes);
        return (status, output.WrittenSpan.ToArray());
    }

    /// <summary>Sends one message split into fragments of the given lengths (the rest goes in the last fragment) and
    /// returns what the receiver inflated.</summary>
    public byte[] RoundTrip(byte[] message, IReadOnlyList<int>? fragmentLengths = null)
    {
        var fragments = new List<byte[]>();
        int offset = 0;
        foreach (int length in fragmentLengths ?? [])
        {
            int take = Math.Min(length, message.Length - offset);
            var compressed = new ArrayBufferWriter<byte>();
            Sender.Compress(message.AsSpan(offset, take), endOfMessage: false, compressed);
            fragments.Add(compressed.WrittenSpan.ToArray());
            offset += take;
        }

        var last = new ArrayBufferWriter<byte>();
        Sender.Compress(message.AsSpan(offset), endOfMessage: true, last);
        fragments.Add(last.WrittenSpan.ToArray());

        var inflated = new ArrayBufferWriter<byte>();
        for (int i = 0; i < fragments.Count; i++)
        {
            InflateStatus status = Receiver.Decompress(fragments[i], i == fragments.Count - 1, inflated, long.MaxValue);
            Assert.Equal(InflateStatus.Ok, status);
        }

        return inflated.WrittenSpan.ToArray();
    }

    public void Dispose()
    {
        Sender.Dispose();
        Receiver.Dispose();
    }
}
