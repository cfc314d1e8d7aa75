namespace Wirehub.WebSockets;

/// <summary>A message received by a <see cref="WebSocketClient"/>.</summary>
public sealed class MessageEventArgs(MessageType type, object data) : EventArgs
{
    /// <summary>Text or binary.</summary>
    public MessageType Type { get; } = type;

    /// <summary>A <see cref="string"/> for text; for binary a <see cref="byte"/> array or a <see cref="System.IO.Stream"/>, per <see cref="WebSocketClient.BinaryType"/>.</summary>
    public object Data { get; } = data;

    /// <summary>The text of a text message, or null.</summary>
    public string? Text => Data as string;
}

/// <summary>The connection closed.</summary>
public sealed class CloseEventArgs(ushort code, string reason, bool wasClean) : EventArgs
{
    /// <summary>The close code (1005 when the peer sent none, 1006 when the connection dropped).</summary>
    public ushort Code { get; } = code;

    /// <summary>The close reason, or an empty string.</summary>
    public string Reason { get; } = reason;

    /// <summary>True when both close frames were exchanged.</summary>
    public bool WasClean { get; } = wasClean;
}

/// <summary>Something went wrong; a close event follows when the connection is lost.</summary>
public sealed class WebSocketErrorEventArgs(Exception exception) : EventArgs
{
    /// <summary>What went wrong.</summary>
    public Exception Exception { get; } = exception;
}
