using System.Globalization;
using Wirehub.Realtime.Broker;

namespace Wirehub.Redis;

/// <summary>
/// Presence shared by every node through Redis. Each entry belongs to the node of its connection and lives as long as
/// that node heartbeats: the entries of a node that crashed leave (with events) once it has been silent for
/// <see cref="RedisBrokerOptions.NodeTimeout"/>. Events reach subscribers through the channel's pub/sub channel, in
/// order with its messages.
/// </summary>
public sealed class RedisPresenceStore(RedisNode node) : IPresenceStore
{
    private readonly RedisNode _node = node ?? throw new ArgumentNullException(nameof(node));

    /// <inheritdoc />
    public async ValueTask EnterAsync(string channel, PresenceMember member, CancellationToken cancellationToken = default) =>
        await ChangeAsync(channel, member, updateOnly: false).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(string channel, PresenceMember member, CancellationToken cancellationToken = default) =>
        ChangeAsync(channel, member, updateOnly: true);

    private async ValueTask<bool> ChangeAsync(string channel, PresenceMember member, bool updateOnly)
    {
        var keys = _node.Keys;
        var result = await _node.EvaluateAsync(PresenceScripts.Enter, [keys.Presence(channel), keys.NodePresence(_node.NodeId)],
        [
            member.ConnectionId, _node.NodeId, MemberBody.Encode(member), channel, keys.Prefix, keys.Notify(channel),
            _node.ShardedFlag, updateOnly ? "u" : "e",
        ], updateOnly ? "presence update" : "presence enter").ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> LeaveAsync(string channel, string connectionId, CancellationToken cancellationToken = default)
    {
        var keys = _node.Keys;
        var result = await _node.EvaluateAsync(PresenceScripts.Leave, [keys.Presence(channel), keys.NodePresence(_node.NodeId)],
            [connectionId, _node.NodeId, channel, keys.Notify(channel), _node.ShardedFlag], "presence leave").ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<PresenceMember>> MembersAsync(string channel, CancellationToken cancellationToken = default)
    {
        var keys = _node.Keys;
        var result = await _node.EvaluateAsync(PresenceScripts.Members, [keys.Presence(channel), keys.Nodes],
            [((long)_node.Options.NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)], "presence read").ConfigureAwait(false);
        var bodies = (StackExchange.Redis.RedisResult[])result!;
        var members = new List<PresenceMember>(bodies.Length);
        foreach (var body in bodies)
            if (MemberBody.Decode((byte[])body!) is { } member) members.Add(member);
        return members;
    }
}
