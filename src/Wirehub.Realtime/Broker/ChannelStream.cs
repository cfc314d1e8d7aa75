using Wirehub.Realtime.Channels;

namespace Wirehub.Realtime.Broker;

/// <summary>
/// One channel's stream in memory: its epoch, its last serial, its history (a ring bounded by count and age) and the
/// message ids it has seen. Callers hold the lock (<see cref="Gate"/>) around every use.
/// </summary>
internal sealed class ChannelStream(string channel, string epoch, NamespaceOptions rules)
{
    private readonly Queue<ChannelMessage> _history = new();
    private readonly Dictionary<string, ChannelMessage> _seen = new(StringComparer.Ordinal);
    private readonly Queue<ChannelMessage> _seenOrder = new();

    public object Gate { get; } = new();
    public string Channel { get; } = channel;
    public string Epoch { get; } = epoch;
    public long Serial { get; private set; }
    public long LastPublishTime { get; private set; }
    /// <summary>Set when the broker dropped this stream; a publisher holding it looks the channel up again.</summary>
    public bool Reclaimed { get; set; }
    public StreamPosition Position => new(Serial, Epoch);
    public NamespaceOptions Rules { get; } = rules;

    public bool TryFindDuplicate(string messageId, out ChannelMessage original) => _seen.TryGetValue(messageId, out original!);

    public ChannelMessage Append(ReadOnlyMemory<byte> data, string? messageId, string serverId, PublisherIdentity? publisher,
        long now, InMemoryBrokerOptions options)
    {
        Serial++;
        LastPublishTime = now;
        var message = new ChannelMessage(Channel, Serial, Epoch, messageId ?? serverId, now, publisher, data);
        if (Rules.HistorySize > 0)
        {
            _history.Enqueue(message);
            while (_history.Count > Rules.HistorySize) _history.Dequeue();
        }
        if (messageId is not null)
        {
            _seen[messageId] = message;
            _seenOrder.Enqueue(message);
            while (_seenOrder.Count > options.MaxIdempotencyEntries) _seen.Remove(_seenOrder.Dequeue().Id);
        }
        return message;
    }

    /// <summary>Drops messages older than the namespace's TTL and message ids older than the idempotency window.</summary>
    public void Expire(long now, InMemoryBrokerOptions options)
    {
        long oldestKept = now - (long)Rules.HistoryTtl.TotalMilliseconds;
        while (_history.TryPeek(out var m) && m.Time < oldestKept) _history.Dequeue();
        long oldestId = now - (long)options.IdempotencyWindow.TotalMilliseconds;
        while (_seenOrder.TryPeek(out var m) && m.Time < oldestId) _seen.Remove(_seenOrder.Dequeue().Id);
    }

    /// <summary>True when nothing of the stream is left worth keeping: no history, no remembered ids.</summary>
    public bool IsEmpty => _history.Count == 0 && _seenOrder.Count == 0;

    public HistoryResult Read(HistoryQuery query)
    {
        var position = Position;
        IEnumerable<ChannelMessage> source = _history;
        if (query.Since is { } since)
        {
            // Continuity needs the same stream and the message right after `since` still retained (or nothing after it).
            bool covered = since.Epoch == Epoch && since.Serial <= Serial &&
                (since.Serial == Serial || (_history.TryPeek(out var oldest) && oldest.Serial <= since.Serial + 1));
            if (!covered) return new HistoryResult([], position, false);
            source = _history.Where(m => m.Serial > since.Serial);
        }
        var list = query.Direction == HistoryDirection.Forward
            ? source.Take(query.Limit).ToList()
            : source.Reverse().Take(query.Limit).ToList();
        return new HistoryResult(list, position, true);
    }
}
