using System.Collections.Concurrent;

namespace Wirehub.Realtime.Broker;

/// <summary>
/// Dropped sessions of one node, in memory: recovery works on the node the client left. Sessions past their retention are
/// dropped as new ones arrive, at most once a second, so memory stays bounded without a timer.
/// </summary>
public sealed class InMemorySessionStore(TimeProvider? time = null) : ISessionStore
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _nextSweep;

    /// <inheritdoc />
    public ValueTask SaveAsync(DetachedSession session, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        long now = Now;
        SweepIfDue(now);
        _sessions[session.ConnectionId] = new Entry(session, now + (long)retention.TotalMilliseconds);
        return default;
    }

    /// <inheritdoc />
    public ValueTask<DetachedSession?> TakeAsync(string connectionId, CancellationToken cancellationToken = default) =>
        new(_sessions.TryRemove(connectionId, out var entry) ? entry.Session : null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ReleasePresenceAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        while (_sessions.TryGetValue(connectionId, out var entry))
        {
            if (entry.Session.PresenceChannels.Count == 0) break;
            var released = entry with { Session = entry.Session with { PresenceChannels = [] } };
            // Compare-and-swap: a concurrent take gets either the entries or none, never both it and this caller.
            if (_sessions.TryUpdate(connectionId, released, entry)) return new(entry.Session.PresenceChannels);
        }
        return new(Array.Empty<string>());
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void SweepIfDue(long now)
    {
        long due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + 1000, due) != due) return;
        foreach (var (id, entry) in _sessions)
            if (entry.ExpiresAt <= now) _sessions.TryRemove(new KeyValuePair<string, Entry>(id, entry));
    }

    private sealed record Entry(DetachedSession Session, long ExpiresAt);
}
