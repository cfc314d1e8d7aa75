using System.Collections.Concurrent;

namespace Wirehub.Realtime.Broker;

/// <summary>Presence of one node, with events delivered through the <see cref="InMemoryBroker"/>.</summary>
public sealed class InMemoryPresenceStore(InMemoryBroker broker) : IPresenceStore
{
    private readonly ConcurrentDictionary<string, Dictionary<string, PresenceMember>> _channels = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask EnterAsync(string channel, PresenceMember member, CancellationToken cancellationToken = default)
    {
        var members = _channels.GetOrAdd(channel, _ => new Dictionary<string, PresenceMember>(StringComparer.Ordinal));
        PresenceAction action;
        lock (members)
        {
            action = members.ContainsKey(member.ConnectionId) ? PresenceAction.Update : PresenceAction.Enter;
            members[member.ConnectionId] = member;
            broker.DeliverPresence(new PresenceEvent(channel, action, member));
        }
        return default;
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(string channel, PresenceMember member, CancellationToken cancellationToken = default)
    {
        if (!_channels.TryGetValue(channel, out var members)) return new(false);
        lock (members)
        {
            if (!members.ContainsKey(member.ConnectionId)) return new(false);
            members[member.ConnectionId] = member;
            broker.DeliverPresence(new PresenceEvent(channel, PresenceAction.Update, member));
        }
        return new(true);
    }

    /// <inheritdoc />
    public ValueTask<bool> LeaveAsync(string channel, string connectionId, CancellationToken cancellationToken = default)
    {
        if (!_channels.TryGetValue(channel, out var members)) return new(false);
        lock (members)
        {
            if (!members.Remove(connectionId, out var member)) return new(false);
            broker.DeliverPresence(new PresenceEvent(channel, PresenceAction.Leave, member));
        }
        return new(true);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PresenceMember>> MembersAsync(string channel, CancellationToken cancellationToken = default)
    {
        if (!_channels.TryGetValue(channel, out var members)) return new(Array.Empty<PresenceMember>());
        lock (members) return new(members.Values.ToArray());
    }
}
