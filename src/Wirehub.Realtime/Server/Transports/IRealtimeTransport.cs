using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// What a <see cref="RealtimeSession"/> runs over: a WebSocket, or an HTTP fallback emulating one (Server-Sent Events
/// with POST, long polling). Each carries the same <c>wirehub.v1</c> frames; the session does not know which it has.
/// </summary>
internal interface IRealtimeTransport
{
    /// <summary>True for the HTTP fallbacks, whose upstream frames arrive in separate requests.</summary>
    bool IsEmulated { get; }

    /// <summary>
    /// The next frame from the client, or a close once the connection has ended (never throws for a lost connection).
    /// The data is valid until the next call.
    /// </summary>
    ValueTask<TransportMessage> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Queues a frame shared by many sessions, by reference. Never throws: a full queue has closed the transport as a
    /// slow consumer (1008), and frames to a closed transport are dropped.
    /// </summary>
    void Send(PreparedMessage message);

    /// <summary>
    /// Bytes queued for the client and not yet handed to the network: what a replay waits on, so history the client
    /// asked for goes at its pace instead of overflowing the send-queue bound.
    /// </summary>
    long QueuedBytes { get; }

    /// <summary>Queues a frame made for this session; the transport owns <paramref name="frame"/> and disposes it.</summary>
    ValueTask SendAsync(PooledFrame frame);

    /// <summary>Closes with <paramref name="code"/> after the frames already queued, and waits for the close to finish.</summary>
    ValueTask CloseAsync(ushort code, string reason);

    /// <summary>Starts closing with <paramref name="code"/> after the frames already queued, without waiting.</summary>
    void CloseOutput(ushort code, string reason);
}
