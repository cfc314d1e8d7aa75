using System.Buffers;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>One frame received by an <see cref="IRealtimeTransport"/>, or the end of the connection.</summary>
internal readonly struct TransportMessage(MessageType type, ReadOnlySequence<byte> data, bool closedByClient = false)
{
    /// <summary>The connection ended; <paramref name="byClient"/> when the client closed it normally (1000).</summary>
    public static TransportMessage Closed(bool byClient) => new(MessageType.Close, ReadOnlySequence<byte>.Empty, byClient);

    /// <summary>Text, binary, or <see cref="MessageType.Close"/> once the connection has ended.</summary>
    public MessageType Type { get; } = type;

    /// <summary>The frame's payload.</summary>
    public ReadOnlySequence<byte> Data { get; } = data;

    /// <summary>
    /// For a close: the client ended the connection with 1000, so its session is over and nothing is kept for recovery.
    /// </summary>
    public bool ClosedByClient { get; } = closedByClient;
}
