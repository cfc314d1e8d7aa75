namespace Wirehub.Redis;

/// <summary>
/// The Lua scripts of presence. A member is stored as <c>node \n member body</c> under its connection id in the
/// channel's presence hash, and listed in its node's index, so the entries of a node that stopped heartbeating can be
/// found and removed. Every change is published on the channel's pub/sub channel in the same atomic step, after the
/// channel's earlier messages: <c>p</c>, the action (<c>e</c>nter, <c>u</c>pdate, <c>l</c>eave), then the member body.
/// Only the node owning an entry may remove it, so a node whose session moved elsewhere cannot remove it by mistake.
/// </summary>
internal static class PresenceScripts
{
    /// <summary>
    /// KEYS: 1 presence hash, 2 this node's index. ARGV: 1 connection id, 2 node id, 3 member body, 4 channel,
    /// 5 key prefix, 6 notify channel, 7 '1' for sharded pub/sub, 8 'e' to enter (or update) or 'u' to update only.
    /// Returns 1, or 0 for an update of a connection that is not present.
    /// </summary>
    public const string Enter = """
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if ARGV[8] == 'u' and not old then return 0 end
        local entry = ARGV[4] .. '\n' .. ARGV[1]
        if old then
          local owner = string.sub(old, 1, string.find(old, '\n', 1, true) - 1)
          if owner ~= ARGV[2] then redis.call('SREM', ARGV[5] .. 'node:' .. owner .. ':p', entry) end
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\n' .. ARGV[3])
        redis.call('SADD', KEYS[2], entry)
        redis.call(ARGV[7] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[6], 'p' .. (old and 'u' or 'e') .. ARGV[3])
        return 1
        """;

    /// <summary>
    /// KEYS: 1 presence hash, 2 this node's index. ARGV: 1 connection id, 2 node id, 3 channel, 4 notify channel,
    /// 5 '1' for sharded pub/sub. Returns 1, or 0 when the connection is not present (or not this node's).
    /// </summary>
    public const string Leave = """
        local old = redis.call('HGET', KEYS[1], ARGV[1])
        if not old then return 0 end
        local cut = string.find(old, '\n', 1, true)
        if string.sub(old, 1, cut - 1) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('SREM', KEYS[2], ARGV[3] .. '\n' .. ARGV[1])
        redis.call(ARGV[5] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[4], 'pl' .. string.sub(old, cut + 1))
        return 1
        """;

    /// <summary>
    /// KEYS: 1 presence hash, 2 live nodes. ARGV: 1 node timeout ms. Returns the member bodies of the members whose node
    /// is alive: a dead node's members are gone for readers at once, before the reaper emits their leaves.
    /// </summary>
    public const string Members = """
        local t = redis.call('TIME')
        local oldest_alive = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
        local all = redis.call('HGETALL', KEYS[1])
        local alive = {}
        local out = {}
        for i = 2, #all, 2 do
          local v = all[i]
          local cut = string.find(v, '\n', 1, true)
          local owner = string.sub(v, 1, cut - 1)
          local ok = alive[owner]
          if ok == nil then
            local beat = redis.call('ZSCORE', KEYS[2], owner)
            ok = beat ~= false and tonumber(beat) >= oldest_alive
            alive[owner] = ok
          end
          if ok then out[#out + 1] = string.sub(v, cut + 1) end
        end
        return out
        """;
}
