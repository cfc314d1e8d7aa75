namespace Wirehub.WebSockets;

/// <summary>What a send does when the connection's send queue already holds <see cref="WebSocketOptions.SendQueueLimit"/> bytes.</summary>
public enum SendQueueFullPolicy
{
    /// <summary>The send waits until the queue drains below the limit (backpressure reaches the sender).</summary>
    Wait,
    /// <summary>The send throws <see cref="WebSocketSendQueueFullException"/>; the connection stays open.</summary>
    Fail,
    /// <summary>The peer is a slow consumer: the connection is closed with 1008 (policy violation) and the send throws.</summary>
    Close,
}
