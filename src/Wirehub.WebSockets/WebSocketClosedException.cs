namespace Wirehub.WebSockets;

/// <summary>Thrown by a send on a connection that is closing or closed.</summary>
public sealed class WebSocketClosedException : InvalidOperationException
{
    internal WebSocketClosedException(WebSocketState state)
        : base($"Cannot send: the WebSocket connection is {state.ToString().ToLowerInvariant()}. Open a new connection to send more.")
    {
    }
}
