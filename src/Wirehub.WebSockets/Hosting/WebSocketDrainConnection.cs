namespace Wirehub.WebSockets;

/// <summary>An engine WebSocket connection as the drain sees it: one more connection to tell 1001.</summary>
internal sealed class WebSocketDrainConnection(WebSocketConnection connection) : IDrainableConnection
{
    public void GoAway() => WebSocketDrain.GoAway(connection);
}
