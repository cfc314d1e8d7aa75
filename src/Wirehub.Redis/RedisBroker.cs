using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;
using BrokerMessage = Wirehub.Realtime.Broker.ChannelMessage;
using StreamPosition = Wirehub.Realtime.Broker.StreamPosition;

namespace Wirehub.Redis;

/// <summary>
/// A broker shared by every node through Redis. A channel's messages live in a Redis stream whose sequence assigns the
/// serials, trimmed by the namespace's history size and age; one Lua script per publish checks the message id, appends,
/// trims and notifies the channel's pub/sub channel atomically. Each node subscribes once per channel with local
/// subscribers and delivers in serial order, filling from the stream any gap the pub/sub connection left (pub/sub
/// itself delivers at most once). A stream that is lost (expired, or Redis restarted without persistence) comes back
/// with a new epoch.
/// </summary>
public sealed class RedisBroker : IBroker, IBrokerHealth, IAsyncDisposable
{
    private readonly RedisNode _node;
    private readonly Func<string, NamespaceOptions> _rulesOf;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ChannelFeed> _feeds = new(StringComparer.Ordinal);
    private readonly string _serverIdPrefix;
    private IBrokerEventHandler? _handler;
    private long _nextServerId;
    private int _checking;

    /// <summary>Creates the broker of one node; <paramref name="rulesOf"/> gives the history bounds of a channel's namespace.</summary>
    public RedisBroker(RedisNode node, Func<string, NamespaceOptions> rulesOf, TimeProvider? time = null)
    {
        _node = node ?? throw new ArgumentNullException(nameof(node));
        _rulesOf = rulesOf ?? throw new ArgumentNullException(nameof(rulesOf));
        _time = time ?? TimeProvider.System;
        _serverIdPrefix = "s-" + node.NodeId + "-";
        node.SubscriptionsRestored += OnSubscriptionsRestored;
        node.Beaten += OnBeaten;
    }

    /// <inheritdoc />
    public void SetEventHandler(IBrokerEventHandler handler) => _handler = handler;

    /// <summary>True while the node's connection to Redis is up (the multiplexer's state: no round trip).</summary>
    public ValueTask<bool> IsAvailableAsync(CancellationToken cancellationToken = default) => new(_node.IsConnected);

    /// <inheritdoc />
    public async ValueTask<PublishResult> PublishAsync(string channel, ReadOnlyMemory<byte> data, string? messageId,
        PublisherIdentity? publisher, CancellationToken cancellationToken = default)
    {
        var rules = _rulesOf(channel);
        var options = _node.Options;
        long now = Now;
        string id = messageId ?? _serverIdPrefix + Interlocked.Increment(ref _nextServerId).ToString(CultureInfo.InvariantCulture);
        var body = MessageBody.Encode(now, id, publisher, data.Span, out byte[] rented);
        // Redis refuses to run the script after the deadline, which is earlier than this node gives up by the allowed
        // clock skew: a publish reported as failed is never applied later.
        long deadline = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)(options.OperationTimeout - options.ClockSkewAllowance).TotalMilliseconds;
        RedisResult result;
        try
        {
            result = await _node.EvaluateAsync(StreamScripts.Publish, StreamKeys(channel),
            [
                body, messageId ?? "", now, rules.HistorySize, (long)rules.HistoryTtl.TotalMilliseconds,
                (long)options.IdempotencyWindow.TotalMilliseconds, options.MaxIdempotencyEntries, KeyTtl(rules), NewEpoch(),
                deadline, _node.Keys.Notify(channel), _node.ShardedFlag,
            ], "publish").ConfigureAwait(false);
        }
        catch (BrokerUnavailableException ex) when (ex.InnerException is RedisTimeoutException)
        {
            // The body may still sit in the connection's buffers: leave the array to the collector.
            throw new BrokerUnavailableException(
                $"Redis did not confirm the publish within {options.OperationTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; " +
                "past its deadline Redis will not apply it. Retry later (with a messageId, a retry is never published twice).", ex);
        }
        ArrayPool<byte>.Shared.Return(rented);
        var reply = (RedisResult[])result!;
        string outcome = (string)reply[0]!;
        if (outcome == "late")
            throw new BrokerUnavailableException("Redis ran the publish after its deadline, so it was not applied. Redis is slow: retry later.");
        long serial = long.Parse((string)reply[1]!, CultureInfo.InvariantCulture);
        string epoch = (string)reply[2]!;
        if (outcome == "ok")
            return new PublishResult(new BrokerMessage(channel, serial, epoch, id, now, publisher, data), false);
        // A duplicate: the original as stored, or (when history no longer holds it) its serial with this retry's data.
        var stored = (byte[]?)reply[4];
        var original = stored is { Length: > 0 } ? MessageBody.Decode(channel, serial, epoch, stored) : null;
        original ??= new BrokerMessage(channel, serial, epoch, id, (long)(double)reply[3], publisher, data);
        return new PublishResult(original, true);
    }

    /// <inheritdoc />
    public async ValueTask SubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        var feed = new ChannelFeed(channel);
        if (!_feeds.TryAdd(channel, feed)) return;
        await ConnectFeedAsync(feed).ConfigureAwait(false);
        if (feed.Queue is null) return;
        // Where the feed starts: what came before the subscription is not owed to anyone, so a gap can be told from the
        // first message on. The hub reads its own position after this, never before.
        StreamPosition start;
        try
        {
            start = await PositionAsync(channel, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnavailableException)
        {
            return;
        }
        await feed.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (feed.Epoch is null)
            {
                feed.Epoch = start.Epoch;
                feed.Serial = start.Serial;
            }
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    /// <summary>
    /// Subscribes the feed in Redis. When Redis cannot be reached the feed stays registered and is subscribed when the
    /// connection comes back: the hub's subscription must not be half made because Redis blinked.
    /// </summary>
    private async Task ConnectFeedAsync(ChannelFeed feed)
    {
        RedisChannel notify;
        try
        {
            notify = _node.NotifyChannel(feed.Channel);
        }
        catch (BrokerUnavailableException)
        {
            return;
        }
        ChannelMessageQueue queue;
        try
        {
            queue = await _node.RunAsync(subscriber => subscriber.SubscribeAsync(notify), "subscribe").ConfigureAwait(false);
        }
        catch (BrokerUnavailableException)
        {
            // The library keeps a failed subscription registered and would renew it on reconnect, into a queue nobody
            // reads; drop it, and subscribe anew on reconnect.
            try { await _node.Subscriber.UnsubscribeAsync(notify).ConfigureAwait(false); } catch (Exception ex) when (RedisNode.IsUnavailable(ex)) { }
            return;
        }
        bool taken;
        lock (feed)
        {
            // Unsubscribed meanwhile, or subscribed by a concurrent renewal: one queue per feed, or events would repeat.
            taken = !feed.Closed && feed.Queue is null;
            if (taken) feed.Queue = queue;
        }
        if (!taken)
        {
            await UnsubscribeQuietlyAsync(queue).ConfigureAwait(false);
            return;
        }
        queue.OnMessage(message => OnNotifyAsync(feed, message));
    }

    /// <inheritdoc />
    public async ValueTask UnsubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        if (!_feeds.TryRemove(channel, out var feed)) return;
        ChannelMessageQueue? queue;
        lock (feed)
        {
            feed.Closed = true;
            queue = feed.Queue;
        }
        if (queue is not null) await UnsubscribeQuietlyAsync(queue).ConfigureAwait(false);
    }

    private static async Task UnsubscribeQuietlyAsync(ChannelMessageQueue queue)
    {
        // Unsubscribing locally always works; the server side goes with the connection if it cannot be told now.
        try { await queue.UnsubscribeAsync().ConfigureAwait(false); }
        catch (Exception ex) when (RedisNode.IsUnavailable(ex)) { }
    }

    /// <inheritdoc />
    public async ValueTask<HistoryResult> HistoryAsync(string channel, HistoryQuery query, CancellationToken cancellationToken = default)
    {
        // A limit of 0 to the script means "the position only", which would skip the coverage check of Since.
        var result = await ReadAsync(channel, Math.Max(query.Limit, 1), query.Direction, query.Since).ConfigureAwait(false);
        return query.Limit > 0 ? result : result with { Messages = [] };
    }

    /// <inheritdoc />
    public async ValueTask<StreamPosition> PositionAsync(string channel, CancellationToken cancellationToken = default) =>
        (await ReadAsync(channel, 0, HistoryDirection.Forward, null).ConfigureAwait(false)).Position;

    private async ValueTask<HistoryResult> ReadAsync(string channel, int limit, HistoryDirection direction, StreamPosition? since)
    {
        var rules = _rulesOf(channel);
        var result = await _node.EvaluateAsync(StreamScripts.Read, StreamKeys(channel),
        [
            Now, (long)rules.HistoryTtl.TotalMilliseconds, NewEpoch(), KeyTtl(rules), limit,
            direction == HistoryDirection.Forward ? "f" : "b",
            since is { } s ? s.Serial.ToString(CultureInfo.InvariantCulture) : "", since?.Epoch ?? "",
        ], limit == 0 ? "position read" : "history read").ConfigureAwait(false);
        var reply = (RedisResult[])result!;
        var position = new StreamPosition(long.Parse((string)reply[0]!, CultureInfo.InvariantCulture), (string)reply[1]!);
        bool covered = (long)reply[2] == 1;
        if (reply.Length <= 3) return new HistoryResult([], position, covered);
        var messages = new List<BrokerMessage>((reply.Length - 3) / 2);
        for (int i = 3; i + 1 < reply.Length; i += 2)
        {
            string entryId = (string)reply[i]!;
            long serial = long.Parse(entryId.AsSpan(entryId.IndexOf('-') + 1), CultureInfo.InvariantCulture);
            if (MessageBody.Decode(channel, serial, position.Epoch, (byte[])reply[i + 1]!) is { } message) messages.Add(message);
        }
        return new HistoryResult(messages, position, covered);
    }

    /// <summary>One pub/sub notification of a subscribed channel: a message or a presence event, delivered in order.</summary>
    private async Task OnNotifyAsync(ChannelFeed feed, StackExchange.Redis.ChannelMessage notification)
    {
        var payload = (byte[]?)notification.Message;
        if (payload is not { Length: > 1 }) return;
        await feed.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (feed.Closed) return;
            if (payload[0] == (byte)'m' && ParseMessage(feed, payload) is { } message)
            {
                if (feed.Epoch is not null && (message.Epoch != feed.Epoch || message.Serial > feed.Serial + 1))
                    await CatchUpAsync(feed, message).ConfigureAwait(false);
                Deliver(feed, message);
            }
            else if (payload[0] == (byte)'p' && ParsePresence(feed.Channel, payload) is { } presence)
            {
                _handler?.OnPresence(presence);
            }
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private void Deliver(ChannelFeed feed, BrokerMessage message)
    {
        if (message.Epoch == feed.Epoch && message.Serial <= feed.Serial) return;
        feed.Epoch = message.Epoch;
        feed.Serial = message.Serial;
        _handler?.OnMessage(message);
    }

    /// <summary>
    /// Delivers from the stream what this node missed after its last delivered message and before <paramref name="next"/>
    /// (all that is newer when null). When the stream no longer reaches back (trimmed, or a new epoch), what it still
    /// holds is delivered: a client that needs more learns it from its position when it recovers.
    /// </summary>
    private async Task CatchUpAsync(ChannelFeed feed, BrokerMessage? next)
    {
        HistoryResult history;
        try
        {
            StreamPosition? since = feed.Epoch is { } epoch ? new StreamPosition(feed.Serial, epoch) : null;
            history = await ReadAsync(feed.Channel, int.MaxValue, HistoryDirection.Forward, since).ConfigureAwait(false);
            if (!history.Covered) history = await ReadAsync(feed.Channel, int.MaxValue, HistoryDirection.Forward, null).ConfigureAwait(false);
        }
        catch (BrokerUnavailableException)
        {
            return;
        }
        foreach (var message in history.Messages)
        {
            if (next is not null && message.Epoch == next.Epoch && message.Serial >= next.Serial) break;
            Deliver(feed, message);
        }
    }

    /// <summary>
    /// The pub/sub connection came back: Redis forgot what was published meanwhile, so each feed catches up from its
    /// stream, after a round trip on the pub/sub connection proves the renewed subscriptions are in place.
    /// </summary>
    private void OnSubscriptionsRestored() => _ = CatchUpAllAsync();

    private async Task CatchUpAllAsync()
    {
        try
        {
            await _node.RunAsync(subscriber => subscriber.PingAsync(), "ping").ConfigureAwait(false);
        }
        catch (BrokerUnavailableException)
        {
            return;
        }
        foreach (var feed in _feeds.Values)
        {
            // A feed Redis could not subscribe earlier subscribes now; the messages its channel got meanwhile follow
            // from the stream like any other missed ones.
            if (feed.Queue is null) await ConnectFeedAsync(feed).ConfigureAwait(false);
            if (feed.Queue is null) continue;
            await feed.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (!feed.Closed) await CatchUpAsync(feed, null).ConfigureAwait(false);
            }
            finally
            {
                feed.Gate.Release();
            }
        }
    }

    /// <summary>
    /// After each heartbeat, checks that every subscribed channel still hears its messages: a channel whose stream held,
    /// at the previous check, messages still not delivered now has lost its subscription (whatever the cause: a renewal
    /// Redis refused, a connection that came back without it). Its subscription is made anew and the missed messages
    /// are delivered from the stream, so no channel stays deaf for more than two heartbeats.
    /// </summary>
    private void OnBeaten()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 0) _ = CheckFeedsAsync();
    }

    private async Task CheckFeedsAsync()
    {
        try
        {
            // Feeds Redis could not subscribe yet (it was unreachable) are subscribed now, and catch up.
            foreach (var pending in _feeds.Values.Where(f => f.Queue is null && !f.Closed).ToArray())
            {
                if (!_node.IsConnected) return;
                await RenewFeedAsync(pending).ConfigureAwait(false);
            }
            var feeds = _feeds.Values.Where(f => f.Queue is not null).ToArray();
            for (int first = 0; first < feeds.Length && _node.IsConnected; first += 256)
            {
                var batch = feeds.AsMemory(first, Math.Min(256, feeds.Length - first));
                var keys = new RedisKey[batch.Length];
                for (int i = 0; i < keys.Length; i++) keys[i] = _node.Keys.Meta(batch.Span[i].Channel);
                var reply = (RedisResult[])(await _node.EvaluateAsync(StreamScripts.Positions, keys, [], "liveness check").ConfigureAwait(false))!;
                for (int i = 0; i < batch.Length; i++)
                {
                    var feed = batch.Span[i];
                    StreamPosition? now = reply[2 * i].IsNull ? null
                        : new StreamPosition(long.Parse((string)reply[2 * i + 1]!, CultureInfo.InvariantCulture), (string)reply[2 * i]!);
                    bool deaf;
                    await feed.Gate.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        deaf = !feed.Closed && feed.MissedSince(feed.Observed);
                        feed.Observed = deaf ? null : now;
                    }
                    finally
                    {
                        feed.Gate.Release();
                    }
                    if (deaf) await RenewFeedAsync(feed).ConfigureAwait(false);
                }
            }
        }
        catch (BrokerUnavailableException)
        {
            // The next heartbeat checks again.
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    private async Task RenewFeedAsync(ChannelFeed feed)
    {
        ChannelMessageQueue? lost;
        lock (feed)
        {
            lost = feed.Queue;
            feed.Queue = null;
        }
        if (lost is not null) await UnsubscribeQuietlyAsync(lost).ConfigureAwait(false);
        await ConnectFeedAsync(feed).ConfigureAwait(false);
        if (feed.Queue is null) return;
        await feed.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!feed.Closed) await CatchUpAsync(feed, null).ConfigureAwait(false);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private static BrokerMessage? ParseMessage(ChannelFeed feed, byte[] payload)
    {
        // m{serial}\n{epoch}\n{body}
        var span = payload.AsSpan(1);
        int serialEnd = span.IndexOf((byte)'\n');
        if (serialEnd < 0 || !Utf8Parser.TryParse(span[..serialEnd], out long serial, out _)) return null;
        var rest = span[(serialEnd + 1)..];
        int epochEnd = rest.IndexOf((byte)'\n');
        if (epochEnd < 0) return null;
        var epochBytes = rest[..epochEnd];
        // The epoch rarely changes: reuse the feed's string instead of decoding one per message.
        string epoch = feed.Epoch is { } known && System.Text.Ascii.Equals(epochBytes, known) ? known : System.Text.Encoding.UTF8.GetString(epochBytes);
        int bodyStart = 1 + serialEnd + 1 + epochEnd + 1;
        return MessageBody.Decode(feed.Channel, serial, epoch, payload.AsMemory(bodyStart));
    }

    private static PresenceEvent? ParsePresence(string channel, byte[] payload)
    {
        var action = payload[1] switch
        {
            (byte)'e' => PresenceAction.Enter,
            (byte)'u' => PresenceAction.Update,
            (byte)'l' => PresenceAction.Leave,
            _ => (PresenceAction?)null,
        };
        if (action is null) return null;
        return MemberBody.Decode(payload.AsMemory(2)) is { } member ? new PresenceEvent(channel, action.Value, member) : null;
    }

    private RedisKey[] StreamKeys(string channel)
    {
        var keys = _node.Keys;
        return [keys.Stream(channel), keys.Meta(channel), keys.MessageIds(channel), keys.MessageIdTimes(channel)];
    }

    /// <summary>A channel's keys live as long as anything in them matters: its history or its remembered message ids.</summary>
    private long KeyTtl(NamespaceOptions rules) =>
        (long)Math.Max(rules.HistoryTtl.TotalMilliseconds, _node.Options.IdempotencyWindow.TotalMilliseconds);

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewEpoch()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Number of channels this node subscribes to (for tests).</summary>
    internal int FeedCount => _feeds.Count;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _node.SubscriptionsRestored -= OnSubscriptionsRestored;
        _node.Beaten -= OnBeaten;
        foreach (var channel in _feeds.Keys) await UnsubscribeAsync(channel).ConfigureAwait(false);
    }
}
