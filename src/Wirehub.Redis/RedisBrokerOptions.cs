namespace Wirehub.Redis;

/// <summary>How a node uses Redis; every node of one deployment needs the same <see cref="KeyPrefix"/> and pub/sub mode.</summary>
public sealed class RedisBrokerOptions
{
    private int _maxPendingOperations = 10_000;
    private TimeSpan _operationTimeout = TimeSpan.FromSeconds(5);
    private TimeSpan _clockSkewAllowance = TimeSpan.FromSeconds(1);

    /// <summary>Prefix of every key and pub/sub channel (default <c>wirehub:</c>); deployments sharing a Redis need distinct ones.</summary>
    public string KeyPrefix { get; set; } = "wirehub:";

    /// <summary>
    /// This node's id in Redis: its presence entries and heartbeat are kept under it (default: random per process, so a
    /// restarted node never inherits the entries of its previous life).
    /// </summary>
    public string NodeId { get; set; } = "n-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>How long a message id is remembered for idempotent publishing (default 2 minutes, the recovery window).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Message ids remembered per channel (default 1000); the oldest are forgotten first.</summary>
    public int MaxIdempotencyEntries { get; set; } = 1000;

    /// <summary>
    /// Redis operations this node may have waiting for an answer (default 10 000). Beyond, operations are refused at once
    /// with <see cref="Realtime.Broker.BrokerUnavailableException"/>: a slow Redis costs bounded memory, and clients get a
    /// retriable error instead of a request that hangs.
    /// </summary>
    public int MaxPendingOperations
    {
        get => _maxPendingOperations;
        set => _maxPendingOperations = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxPendingOperations must be positive.");
    }

    /// <summary>
    /// How long an operation may wait for Redis before it fails as unavailable (default 5 s). A publish that Redis has not
    /// run by then is never run: its script refuses to run past its deadline, so a failed publish does not appear later.
    /// </summary>
    public TimeSpan OperationTimeout
    {
        get => _operationTimeout;
        set => _operationTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "OperationTimeout must be positive.");
    }

    /// <summary>
    /// How far this node's clock may be from Redis's (default 1 s). A publish's deadline in Redis is this much earlier
    /// than its <see cref="OperationTimeout"/>, so a publish reported as failed cannot run afterwards. Keep clocks in sync
    /// (NTP) and this below <see cref="OperationTimeout"/>.
    /// </summary>
    public TimeSpan ClockSkewAllowance
    {
        get => _clockSkewAllowance;
        set => _clockSkewAllowance = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "ClockSkewAllowance must not be negative.");
    }

    /// <summary>How often the node tells Redis it is alive and reaps the presence of dead nodes (default 2 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A node silent for this long is dead (default 10 s): its presence entries leave, with events. Keep it above the
    /// longest pause a live node may have (garbage collection, a Redis failover), or its members will flap.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether to fan out through sharded pub/sub (<c>SPUBLISH</c>/<c>SSUBSCRIBE</c>); null (the default) uses it when the
    /// server has it (Redis 7+), decided at the first connection.
    /// </summary>
    public bool? ShardedPubSub { get; set; }

    /// <summary>
    /// Whether nodes share the recovery-key secret through Redis (default true): the first node stores its
    /// <c>RealtimeOptions.RecoveryKeySecret</c> and every node adopts the stored one, so a recovery key issued by one node
    /// is valid on all. Turn off to configure the same secret on every node yourself.
    /// </summary>
    public bool ShareRecoveryKeySecret { get; set; } = true;
}
