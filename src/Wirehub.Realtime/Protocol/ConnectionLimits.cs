namespace Wirehub.Realtime.Protocol;

/// <summary>The <c>limits</c> object of the <c>connected</c> reply.</summary>
internal readonly record struct ConnectionLimits(int MaxMessageSize, int MaxSubscriptions, int PublishRate,
    long PingInterval, long RecoveryWindow, long PresenceGrace);
