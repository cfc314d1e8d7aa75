namespace Wirehub.WebSockets;

/// <summary>The kind of a received or sent message.</summary>
public enum MessageType
{
    /// <summary>UTF-8 text (validated on receipt).</summary>
    Text = 1,
    /// <summary>Arbitrary bytes.</summary>
    Binary = 2,
    /// <summary>The connection has closed; see <see cref="WebSocketConnection.CloseStatus"/>.</summary>
    Close = 8,
}
