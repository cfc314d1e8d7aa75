namespace Wirehub.WebSockets;

/// <summary>Thrown by a send when the peer does not read fast enough and the send queue is full.</summary>
public sealed class WebSocketSendQueueFullException : InvalidOperationException
{
    internal WebSocketSendQueueFullException(long limit, bool closed)
        : base(closed
            ? $"The send queue exceeded its limit of {limit} bytes, so the connection was closed with 1008 as a slow consumer."
            : $"The send queue is full ({limit} bytes): the peer is not reading fast enough. Retry later, or raise WebSocketOptions.SendQueueLimit.")
    {
    }
}
