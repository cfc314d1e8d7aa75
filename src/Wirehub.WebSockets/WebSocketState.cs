namespace Wirehub.WebSockets;

/// <summary>Connection states, as the browser's <c>readyState</c> names them.</summary>
public enum WebSocketState
{
    /// <summary>The opening handshake is under way (clients only).</summary>
    Connecting = 0,
    /// <summary>Messages flow both ways.</summary>
    Open = 1,
    /// <summary>A close frame was sent or received; the closing handshake is under way.</summary>
    Closing = 2,
    /// <summary>The connection is closed; nothing more is sent or received.</summary>
    Closed = 3,
}
