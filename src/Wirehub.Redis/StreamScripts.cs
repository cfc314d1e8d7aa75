namespace Wirehub.Redis;

/// <summary>
/// The Lua scripts of channel streams. Each runs atomically in Redis, so publishing (idempotency check, serial, history
/// append and trim, pub/sub notify) is one step per channel and every node sees a channel's messages in one order.
/// Keys of every script: the channel's stream, meta, message ids and message id times (see <see cref="RedisKeys"/>).
/// </summary>
internal static class StreamScripts
{
    /// <summary>
    /// Returns the stream's epoch and last serial, creating the stream with the candidate epoch when it or its meta is
    /// missing (expired, evicted, lost in a restart without persistence): a missing stream is a new stream, and its
    /// serials restart, so it must not keep the old epoch. An empty stream is made by creating a consumer group with
    /// MKSTREAM and destroying it, since XADD would use up serial 1.
    /// </summary>
    private const string Prelude = """
        local function ensure_stream(s, m, ids, idt, candidate)
          local epoch = redis.call('HGET', m, 'e')
          if epoch and redis.call('EXISTS', s) == 1 then
            return epoch, redis.call('HGET', m, 's'), false
          end
          redis.call('DEL', s, ids, idt)
          redis.call('XGROUP', 'CREATE', s, 'wirehub-init', '$', 'MKSTREAM')
          redis.call('XGROUP', 'DESTROY', s, 'wirehub-init')
          redis.call('HSET', m, 'e', candidate, 's', '0')
          return candidate, '0', true
        end

        local function trim_age(s, cutoff)
          for _ = 1, 100000 do
            local first = redis.call('XRANGE', s, '-', '+', 'COUNT', 1)[1]
            if not first or tonumber(first[2][2]) >= cutoff then return end
            redis.call('XDEL', s, first[1])
          end
        end

        local function redis_now()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        """;

    /// <summary>
    /// ARGV: 1 body, 2 message id ('' for none), 3 now (Unix ms), 4 history size, 5 history TTL ms, 6 idempotency
    /// window ms, 7 max message ids, 8 key TTL ms, 9 epoch candidate, 10 deadline (Redis Unix ms, 0 for none),
    /// 11 notify channel, 12 '1' for sharded pub/sub.
    /// Returns {'ok', serial, epoch}, {'dup', serial, epoch, time, body or ''} or {'late'} (past the deadline: nothing done).
    /// </summary>
    public const string Publish = Prelude + """

        local deadline = tonumber(ARGV[10])
        if deadline > 0 and redis_now() > deadline then return {'late'} end
        local s, m, ids, idt = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
        local now = tonumber(ARGV[3])
        local epoch = ensure_stream(s, m, ids, idt, ARGV[9])
        local mid = ARGV[2]
        if mid ~= '' then
          local oldest_kept = now - tonumber(ARGV[6])
          local expired = redis.call('ZRANGEBYSCORE', idt, '-inf', '(' .. oldest_kept, 'LIMIT', 0, 256)
          if #expired > 0 then
            redis.call('HDEL', ids, unpack(expired))
            redis.call('ZREM', idt, unpack(expired))
          end
          local original = redis.call('HGET', ids, mid)
          local at = redis.call('ZSCORE', idt, mid)
          if original and at and tonumber(at) >= oldest_kept then
            local entry = redis.call('XRANGE', s, '0-' .. original, '0-' .. original)[1]
            return {'dup', original, epoch, at, entry and entry[2][4] or ''}
          end
        end
        local id = redis.call('XADD', s, 'MAXLEN', ARGV[4], '0-*', 't', ARGV[3], 'b', ARGV[1])
        local serial = string.sub(id, 3)
        redis.call('HSET', m, 's', serial)
        trim_age(s, now - tonumber(ARGV[5]))
        local ttl = ARGV[8]
        redis.call('PEXPIRE', s, ttl)
        redis.call('PEXPIRE', m, ttl)
        if mid ~= '' then
          redis.call('HSET', ids, mid, serial)
          redis.call('ZADD', idt, now, mid)
          local excess = redis.call('ZCARD', idt) - tonumber(ARGV[7])
          if excess > 0 then
            local oldest = redis.call('ZPOPMIN', idt, excess)
            for i = 1, #oldest, 2 do redis.call('HDEL', ids, oldest[i]) end
          end
          redis.call('PEXPIRE', ids, ttl)
          redis.call('PEXPIRE', idt, ttl)
        end
        redis.call(ARGV[12] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[11], 'm' .. serial .. '\n' .. epoch .. '\n' .. ARGV[1])
        return {'ok', serial, epoch}
        """;

    /// <summary>
    /// ARGV: 1 now (Unix ms), 2 history TTL ms, 3 epoch candidate, 4 key TTL ms, 5 limit (0 for the position only),
    /// 6 'f' forward or 'b' backward, 7 since serial ('' for none), 8 since epoch.
    /// Returns {serial, epoch, covered (1 or 0), entry id, body, entry id, body, ...}.
    /// </summary>
    public const string Read = Prelude + """

        local s, m = KEYS[1], KEYS[2]
        local epoch, serial, created = ensure_stream(s, m, KEYS[3], KEYS[4], ARGV[3])
        if created then
          redis.call('PEXPIRE', s, ARGV[4])
          redis.call('PEXPIRE', m, ARGV[4])
        end
        trim_age(s, tonumber(ARGV[1]) - tonumber(ARGV[2]))
        local limit = tonumber(ARGV[5])
        if limit == 0 then return {serial, epoch, 1} end
        local start = '-'
        if ARGV[7] ~= '' then
          local since = tonumber(ARGV[7])
          local last = tonumber(serial)
          local covered = ARGV[8] == epoch and since >= 0 and since <= last
          if covered and since < last then
            local oldest = redis.call('XRANGE', s, '-', '+', 'COUNT', 1)[1]
            covered = oldest ~= nil and tonumber(string.sub(oldest[1], 3)) <= since + 1
          end
          if not covered then return {serial, epoch, 0} end
          start = '0-' .. string.format('%d', since + 1)
        end
        local entries
        if ARGV[6] == 'f' then
          entries = redis.call('XRANGE', s, start, '+', 'COUNT', limit)
        else
          entries = redis.call('XREVRANGE', s, '+', start, 'COUNT', limit)
        end
        local out = {serial, epoch, 1}
        for _, e in ipairs(entries) do
          out[#out + 1] = e[1]
          out[#out + 1] = e[2][4]
        end
        return out
        """;

    /// <summary>
    /// KEYS: the meta keys of some channels. Returns {epoch, serial, epoch, serial, ...}, false for both of a channel
    /// without a stream. Reads only: checking a channel never creates its stream.
    /// </summary>
    public const string Positions = """
        local out = {}
        for i, m in ipairs(KEYS) do
          local p = redis.call('HMGET', m, 'e', 's')
          out[2 * i - 1] = p[1]
          out[2 * i] = p[2]
        end
        return out
        """;
}
