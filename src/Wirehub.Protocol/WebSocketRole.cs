namespace Wirehub.Protocol;

/// <summary>Which end of the connection this side is: it decides the masking rules (RFC 6455 §5.1).</summary>
public enum WebSocketRole
{
    /// <summary>Accepts connections; receives masked frames and sends unmasked ones.</summary>
    Server,
    /// <summary>Opens connections; sends masked frames and receives unmasked ones.</summary>
    Client,
}
