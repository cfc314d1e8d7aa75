namespace Wirehub.Redis;

/// <summary>The Lua scripts of sessions waiting for recovery (see <see cref="RedisSessionStore"/>).</summary>
internal static class SessionScripts
{
    /// <summary>KEYS: 1 session. ARGV: 1 client id, 2 detach time, 3 presence channels joined by \n, 4 retention ms.</summary>
    public const string Save = """
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'c', ARGV[1], 'd', ARGV[2], 'p', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """;

    /// <summary>
    /// Takes the session (deletes it) and moves its presence entries that still exist to the taking node, so they live
    /// as long as that node does. KEYS: 1 session. ARGV: 1 key prefix, 2 connection id, 3 taking node id.
    /// Returns nil when there is no session, else {client id, detach time, present channel, ...}.
    /// </summary>
    public const string Take = """
        local h = redis.call('HMGET', KEYS[1], 'c', 'd', 'p')
        if not h[1] then return false end
        redis.call('DEL', KEYS[1])
        local prefix, connection, node = ARGV[1], ARGV[2], ARGV[3]
        local out = {h[1], h[2]}
        for channel in string.gmatch(h[3] or '', '[^\n]+') do
          local key = prefix .. '{' .. channel .. '}:p'
          local v = redis.call('HGET', key, connection)
          if v then
            local cut = string.find(v, '\n', 1, true)
            local owner = string.sub(v, 1, cut - 1)
            if owner ~= node then
              local entry = channel .. '\n' .. connection
              redis.call('HSET', key, connection, node .. '\n' .. string.sub(v, cut + 1))
              redis.call('SREM', prefix .. 'node:' .. owner .. ':p', entry)
              redis.call('SADD', prefix .. 'node:' .. node .. ':p', entry)
            end
            out[#out + 1] = channel
          end
        end
        return out
        """;

    /// <summary>KEYS: 1 session. Forgets the session's presence channels and returns them (none once it was taken).</summary>
    public const string ReleasePresence = """
        local p = redis.call('HGET', KEYS[1], 'p')
        if not p or p == '' then return {} end
        redis.call('HSET', KEYS[1], 'p', '')
        local out = {}
        for channel in string.gmatch(p, '[^\n]+') do out[#out + 1] = channel end
        return out
        """;
}
