using System.Buffers;
using System.Text;

namespace Wirehub.WebSockets;

/// <summary>
/// A received message, or one fragment of it when received with <see cref="WebSocketConnection.ReceiveFragmentAsync"/>.
/// The payload lives in the connection's pooled buffers: it is valid only until the next receive call on the same
/// connection. Copy it (<see cref="ToArray"/>, <see cref="GetString"/>) to keep it longer.
/// </summary>
public readonly struct WebSocketMessage
{
    internal WebSocketMessage(MessageType type, ReadOnlySequence<byte> data, bool endOfMessage)
    {
        Type = type;
        Data = data;
        EndOfMessage = endOfMessage;
    }

    internal static WebSocketMessage Closed => new(MessageType.Close, ReadOnlySequence<byte>.Empty, true);

    /// <summary>Text, binary, or <see cref="MessageType.Close"/> once the connection has closed.</summary>
    public MessageType Type { get; }

    /// <summary>The payload (already unmasked, inflated and, for text, validated as UTF-8).</summary>
    public ReadOnlySequence<byte> Data { get; }

    /// <summary>False for a fragment that more of the same message follows; always true for whole messages.</summary>
    public bool EndOfMessage { get; }

    /// <summary>True when the connection has closed and no more messages will come.</summary>
    public bool IsClose => Type == MessageType.Close;

    /// <summary>The payload decoded as UTF-8.</summary>
    public string GetString() => Data.IsSingleSegment ? Encoding.UTF8.GetString(Data.FirstSpan) : Encoding.UTF8.GetString(Data);

    /// <summary>A copy of the payload.</summary>
    public byte[] ToArray() => Data.ToArray();
}
