using StackExchange.Redis;

namespace Wirehub.Redis;

/// <summary>
/// Names of everything a deployment keeps in Redis. A channel's keys and its pub/sub channel share the hash tag
/// <c>{channel}</c>, so they live in one slot (channel names cannot contain braces).
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>The channel's messages: a stream with ids <c>0-serial</c>, fields <c>t</c> (time) and <c>b</c> (body).</summary>
    public RedisKey Stream(string channel) => $"{Prefix}{{{channel}}}:s";

    /// <summary>The stream's identity: hash of <c>e</c> (epoch) and <c>s</c> (last serial); created with the stream.</summary>
    public RedisKey Meta(string channel) => $"{Prefix}{{{channel}}}:m";

    /// <summary>Message ids published to the channel: hash of id to serial.</summary>
    public RedisKey MessageIds(string channel) => $"{Prefix}{{{channel}}}:i";

    /// <summary>When each message id was published: sorted set of id by Unix ms, for the idempotency window.</summary>
    public RedisKey MessageIdTimes(string channel) => $"{Prefix}{{{channel}}}:t";

    /// <summary>The channel's presence: hash of connection id to <c>node \n member</c>.</summary>
    public RedisKey Presence(string channel) => $"{Prefix}{{{channel}}}:p";

    /// <summary>The pub/sub channel carrying the channel's messages and presence events.</summary>
    public string Notify(string channel) => $"{Prefix}{{{channel}}}";

    /// <summary>Live nodes: sorted set of node id by last heartbeat (Redis time, Unix ms).</summary>
    public RedisKey Nodes => $"{Prefix}nodes";

    /// <summary>A node's presence entries, <c>channel \n connectionId</c>, so a dead node's can be found and removed.</summary>
    public RedisKey NodePresence(string nodeId) => $"{Prefix}node:{nodeId}:p";

    /// <summary>A dropped session waiting for recovery: hash of <c>c</c> client id, <c>d</c> detach time, <c>p</c> presence channels.</summary>
    public RedisKey Session(string connectionId) => $"{Prefix}session:{connectionId}";

    /// <summary>The recovery-key secret shared by the nodes.</summary>
    public RedisKey RecoverySecret => $"{Prefix}recovery-secret";
}
