namespace Wirehub.Conformance.Tests.Wire;

/// <summary>Close status codes the catalogue names (RFC 6455 §7.4.1) and the rule for which may appear on the wire.</summary>
internal static class CloseCode
{
    public const ushort Normal = 1000;
    public const ushort GoingAway = 1001;
    public const ushort ProtocolError = 1002;
    public const ushort InvalidPayload = 1007;

    /// <summary>
    /// Codes a peer may send in a Close frame: 1000-1003, 1007-1011 and the later-registered 1012-1013, and the
    /// application ranges 3000-4999. 1004-1006, 1015 and the rest of 0-2999 are reserved or must never be sent
    /// (RFC 6455 §7.4.1, §7.4.2); 5000 and above are outside every range.
    /// </summary>
    public static bool IsAllowedOnWire(int code) => code switch
    {
        >= 1000 and <= 1003 => true,
        >= 1007 and <= 1013 => true,
        >= 3000 and <= 4999 => true,
        _ => false,
    };
}
