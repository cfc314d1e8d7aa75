using System.Globalization;
using StackExchange.Redis;
using Wirehub.Realtime.Broker;

namespace Wirehub.Redis;

/// <summary>
/// Dropped sessions kept in Redis, so a client resumes on whichever node it reaches. Taking a session is atomic (one
/// node wins) and moves the session's presence entries to the taking node, so they live as long as that node does.
/// </summary>
public sealed class RedisSessionStore(RedisNode node) : ISessionStore
{
    private readonly RedisNode _node = node ?? throw new ArgumentNullException(nameof(node));

    /// <inheritdoc />
    public async ValueTask SaveAsync(DetachedSession session, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        await _node.EvaluateAsync(SessionScripts.Save, [_node.Keys.Session(session.ConnectionId)],
        [
            session.ClientId, session.DetachedAt, string.Join('\n', session.PresenceChannels),
            Math.Max(1, (long)retention.TotalMilliseconds),
        ], "session save").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<DetachedSession?> TakeAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var result = await _node.EvaluateAsync(SessionScripts.Take, [_node.Keys.Session(connectionId)],
            [_node.Keys.Prefix, connectionId, _node.NodeId], "session take").ConfigureAwait(false);
        if (result.IsNull) return null;
        var fields = (RedisResult[])result!;
        var channels = new string[fields.Length - 2];
        for (int i = 2; i < fields.Length; i++) channels[i - 2] = (string)fields[i]!;
        return new DetachedSession((string)fields[0]!, connectionId, channels, long.Parse((string)fields[1]!, CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ReleasePresenceAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        var result = await _node.EvaluateAsync(SessionScripts.ReleasePresence, [_node.Keys.Session(connectionId)], [], "presence release")
            .ConfigureAwait(false);
        var fields = (RedisResult[])result!;
        var channels = new string[fields.Length];
        for (int i = 0; i < fields.Length; i++) channels[i] = (string)fields[i]!;
        return channels;
    }
}
