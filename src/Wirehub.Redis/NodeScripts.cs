namespace Wirehub.Redis;

/// <summary>
/// The Lua scripts of node liveness. Heartbeats use Redis's clock, so nodes' clocks do not matter for liveness.
/// </summary>
internal static class NodeScripts
{
    /// <summary>KEYS: 1 live nodes. ARGV: 1 node id. Returns 1 when the node was not listed (first beat, or reaped as dead).</summary>
    public const string Heartbeat = """
        local t = redis.call('TIME')
        return redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
        """;

    /// <summary>
    /// Removes, in bounded batches, the presence entries of one node silent for longer than the timeout, publishing a
    /// leave for each; the node is forgotten once its index is empty. Any node may run it: SPOP hands each entry to one.
    /// KEYS: 1 live nodes. ARGV: 1 key prefix, 2 node timeout ms, 3 '1' for sharded pub/sub, 4 batch size.
    /// Returns 0 when no node is dead, else the number of entries handled plus one (run it again).
    /// </summary>
    public const string Reap = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local prefix = ARGV[1]
        local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[2])), 'LIMIT', 0, 1)[1]
        if not dead then return 0 end
        local index = prefix .. 'node:' .. dead .. ':p'
        local entries = redis.call('SPOP', index, tonumber(ARGV[4]))
        local publish = ARGV[3] == '1' and 'SPUBLISH' or 'PUBLISH'
        for _, entry in ipairs(entries) do
          local cut = string.find(entry, '\n', 1, true)
          local channel = string.sub(entry, 1, cut - 1)
          local connection = string.sub(entry, cut + 1)
          local key = prefix .. '{' .. channel .. '}:p'
          local v = redis.call('HGET', key, connection)
          if v then
            local vcut = string.find(v, '\n', 1, true)
            if string.sub(v, 1, vcut - 1) == dead then
              redis.call('HDEL', key, connection)
              redis.call(publish, prefix .. '{' .. channel .. '}', 'pl' .. string.sub(v, vcut + 1))
            end
          end
        end
        if redis.call('EXISTS', index) == 0 then redis.call('ZREM', KEYS[1], dead) end
        return #entries + 1
        """;

    /// <summary>KEYS: 1 the secret. ARGV: 1 this node's secret. Stores it unless one is stored; returns the stored one.</summary>
    public const string ShareSecret = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX')
        return redis.call('GET', KEYS[1])
        """;
}
