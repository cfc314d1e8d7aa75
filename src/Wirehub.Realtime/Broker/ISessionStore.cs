namespace Wirehub.Realtime.Broker;

/// <summary>
/// Where dropped sessions wait for recovery. A store shared by every node (as on Redis) lets a client resume on a node
/// other than the one it left; each session is taken at most once, whichever node asks first.
/// </summary>
public interface ISessionStore
{
    /// <summary>Keeps <paramref name="session"/> for at least <paramref name="retention"/>, until it is taken.</summary>
    /// <exception cref="BrokerUnavailableException">The session was not kept; it cannot be recovered.</exception>
    ValueTask SaveAsync(DetachedSession session, TimeSpan retention, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the session of <paramref name="connectionId"/>: afterwards no node finds it. Null when there is none. The
    /// caller decides from <see cref="DetachedSession.DetachedAt"/> whether it is still within the recovery window.
    /// </summary>
    /// <exception cref="BrokerUnavailableException">The store cannot be reached; the session was not taken.</exception>
    ValueTask<DetachedSession?> TakeAsync(string connectionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The presence grace of a waiting session ended: forgets its presence channels and returns them, for the caller to
    /// leave. Empty when the session was taken meanwhile (its new connection keeps the entries) or is gone.
    /// </summary>
    /// <exception cref="BrokerUnavailableException">The store cannot be reached.</exception>
    ValueTask<IReadOnlyList<string>> ReleasePresenceAsync(string connectionId, CancellationToken cancellationToken = default);
}
