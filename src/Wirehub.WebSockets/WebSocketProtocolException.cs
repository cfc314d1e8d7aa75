namespace Wirehub.WebSockets;

/// <summary>Reported when a connection fails because the peer broke the protocol.</summary>
public sealed class WebSocketProtocolException(ushort closeCode, string reason)
    : Exception($"The connection failed with close code {closeCode}: {reason}")
{
    /// <summary>The close code sent to the peer (1002, 1007 or 1009).</summary>
    public ushort CloseCode { get; } = closeCode;
}
