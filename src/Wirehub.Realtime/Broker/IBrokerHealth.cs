namespace Wirehub.Realtime.Broker;

/// <summary>
/// Implemented by a broker that can tell whether it reaches its backing store, so the server's readiness probe can turn
/// false while publishes would fail. Optional: a broker without it is taken to be always available.
/// </summary>
public interface IBrokerHealth
{
    /// <summary>
    /// True when publish, subscribe and history can reach the broker's store now. Answers quickly (a probe calls it per
    /// request): a cached state or a bounded round trip, never an unbounded wait.
    /// </summary>
    ValueTask<bool> IsAvailableAsync(CancellationToken cancellationToken = default);
}
