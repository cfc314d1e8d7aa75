namespace Wirehub.Protocol;

/// <summary>Close status codes (RFC 6455 §7.4.1 and the IANA WebSocket Close Code Number Registry).</summary>
public static class CloseStatus
{
    /// <summary>1000: the purpose of the connection was fulfilled.</summary>
    public const ushort NormalClosure = 1000;

    /// <summary>1001: the endpoint is going away (server shutting down, browser leaving the page).</summary>
    public const ushort GoingAway = 1001;

    /// <summary>1002: the peer broke the protocol.</summary>
    public const ushort ProtocolError = 1002;

    /// <summary>1003: the endpoint cannot accept this type of data (e.g. binary for a text-only endpoint).</summary>
    public const ushort UnsupportedData = 1003;

    /// <summary>1005: no status code was present. Reported locally only; never sent on the wire.</summary>
    public const ushort NoStatusReceived = 1005;

    /// <summary>1006: the connection dropped without a close frame. Reported locally only; never sent on the wire.</summary>
    public const ushort AbnormalClosure = 1006;

    /// <summary>1007: a message's data was inconsistent with its type, e.g. invalid UTF-8 in a text message.</summary>
    public const ushort InvalidPayloadData = 1007;

    /// <summary>1008: a message broke the endpoint's policy.</summary>
    public const ushort PolicyViolation = 1008;

    /// <summary>1009: a message was too big to process.</summary>
    public const ushort MessageTooBig = 1009;

    /// <summary>1010: the client expected the server to negotiate an extension it did not.</summary>
    public const ushort MandatoryExtension = 1010;

    /// <summary>1011: the server met an unexpected condition.</summary>
    public const ushort InternalError = 1011;

    /// <summary>1012: the service is restarting (IANA registry).</summary>
    public const ushort ServiceRestart = 1012;

    /// <summary>1013: the service is overloaded; try again later (IANA registry).</summary>
    public const ushort TryAgainLater = 1013;

    /// <summary>1014: a gateway or proxy got an invalid response from upstream (IANA registry).</summary>
    public const ushort BadGateway = 1014;

    /// <summary>
    /// True for codes an endpoint may send or accept in a close frame: 1000-1003 and 1007-1014 (defined by RFC 6455 §7.4.1
    /// and the IANA registry) and 3000-4999 (registered and private use, §7.4.2). False for 0-999, 1004 (reserved),
    /// 1005 and 1006 (local only), 1015 (TLS failure, local only), 1016-2999 (reserved) and 5000 and above.
    /// </summary>
    /// <param name="code">The close code.</param>
    /// <returns>Whether the code may appear in a close frame.</returns>
    public static bool IsValidOnWire(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
