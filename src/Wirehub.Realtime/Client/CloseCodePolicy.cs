namespace Wirehub.Realtime.Client;

/// <summary>What a client does after the server closes with a given code (PROTOCOL.md, "Close codes").</summary>
internal enum ReconnectKind
{
    /// <summary>Do not reconnect: 1000, 1009, 4001, 4003.</summary>
    Stop,
    /// <summary>Reconnect with backoff, resuming the session with the recovery key.</summary>
    Recover,
    /// <summary>4002: fetch a new token, then reconnect with recovery.</summary>
    NewToken,
    /// <summary>4004: reconnect without the recovery key (positions are still resumed channel by channel).</summary>
    WithoutRecovery,
}

/// <summary>Maps close codes to the reconnect behaviour of the close-code table.</summary>
internal static class CloseCodePolicy
{
    public static ReconnectKind For(ushort code) => code switch
    {
        1000 or 1009 or 4001 or 4003 => ReconnectKind.Stop,
        4002 => ReconnectKind.NewToken,
        4004 => ReconnectKind.WithoutRecovery,
        // 1001 and 1008 ask for recovery, 1011 and 1013 for backoff, 1006 is a dropped connection: all reconnect
        // with backoff and recovery.
        _ => ReconnectKind.Recover,
    };
}
