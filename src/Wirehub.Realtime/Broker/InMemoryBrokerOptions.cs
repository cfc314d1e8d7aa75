namespace Wirehub.Realtime.Broker;

/// <summary>Bounds of the <see cref="InMemoryBroker"/>.</summary>
public sealed class InMemoryBrokerOptions
{
    /// <summary>How long a message id is remembered for idempotent publishing (default 2 minutes, the recovery window).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Message ids remembered per channel (default 1000); the oldest are forgotten first.</summary>
    public int MaxIdempotencyEntries { get; set; } = 1000;

    /// <summary>
    /// Channel streams held at most (default 100 000), so memory stays bounded: at the limit, idle streams are reclaimed,
    /// and when none is, operations on new channels fail with <see cref="BrokerUnavailableException"/>.
    /// </summary>
    public int MaxChannels { get; set; } = 100_000;

    /// <summary>How often expired history and idle channels are reclaimed (default 10 seconds).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);
}
