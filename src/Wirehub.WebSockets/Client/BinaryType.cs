namespace Wirehub.WebSockets;

/// <summary>How <see cref="WebSocketClient"/> surfaces binary messages in its message event, as the browser's <c>binaryType</c>.</summary>
public enum BinaryType
{
    /// <summary>As a <see cref="byte"/> array (the browser's "arraybuffer").</summary>
    ByteArray,
    /// <summary>As a read-only <see cref="MemoryStream"/> (the browser's "blob": read it as a stream).</summary>
    Stream,
}
