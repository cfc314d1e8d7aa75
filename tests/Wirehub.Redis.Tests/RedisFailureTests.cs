using System.Text;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

/// <summary>What a node does when Redis goes away, comes back, or is slow: nothing acknowledged is lost, nothing refused appears later.</summary>
public sealed class RedisFailureTests : IAsyncLifetime
{
    private readonly string _prefix = RedisFixture.NewPrefix();
    private readonly List<IAsyncDisposable> _owned = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(appendOnly: true);
        _owned.Add(_redis);
    }

    public async Task DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
    }

    private async Task<TestNode> NodeAsync(string? configuration = null, Action<RedisBrokerOptions>? configure = null)
    {
        var node = await TestNode.StartAsync(configuration ?? _redis.Configuration, _prefix, new NamespaceOptions { HistorySize = 1000 },
            configure: o =>
            {
                o.OperationTimeout = TimeSpan.FromSeconds(2);
                o.ClockSkewAllowance = TimeSpan.FromMilliseconds(500);
                configure?.Invoke(o);
            });
        _owned.Add(node);
        return node;
    }

    private static ReadOnlyMemory<byte> Json(int n) => Encoding.UTF8.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Text(ChannelMessage message) => Encoding.UTF8.GetString(message.Data.Span);

    [Fact]
    public async Task Messages_published_while_a_node_lost_Redis_are_delivered_to_it_in_order_once_it_is_back()
    {
        var relay = new TcpRelay(_redis.Port);
        _owned.Add(relay);
        var cutOff = await NodeAsync(relay.Configuration);
        var publisher = await NodeAsync();
        await cutOff.Broker.SubscribeAsync("room:a");
        for (int i = 1; i <= 3; i++) await publisher.Broker.PublishAsync("room:a", Json(i), null, null);
        await Eventually.TrueAsync(() => cutOff.Handler.Messages.Count == 3, "the first three messages");

        relay.Cut();
        for (int i = 4; i <= 8; i++) await publisher.Broker.PublishAsync("room:a", Json(i), null, null);
        await Assert.ThrowsAsync<BrokerUnavailableException>(async () => await cutOff.Broker.PublishAsync("room:a", Json(0), null, null));
        relay.Reopen();

        await Eventually.TrueAsync(() => cutOff.Handler.Messages.Count >= 8, "the five messages published meanwhile");
        await publisher.Broker.PublishAsync("room:a", Json(9), null, null);
        await Eventually.TrueAsync(() => cutOff.Handler.Messages.Count >= 9, "the next live message");
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), cutOff.Handler.Serials("room:a"));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => i.ToString()), cutOff.Handler.Messages.Select(Text));
    }

    [Fact]
    public async Task A_subscription_made_while_Redis_is_unreachable_takes_effect_when_it_is_back()
    {
        var relay = new TcpRelay(_redis.Port);
        _owned.Add(relay);
        var cutOff = await NodeAsync(relay.Configuration);
        var publisher = await NodeAsync();
        await publisher.Broker.PublishAsync("room:a", Json(1), null, null);
        relay.Cut();
        await Eventually.TrueAsync(() => !cutOff.Node.IsConnected, "the node to notice the cut");
        await cutOff.Broker.SubscribeAsync("room:a");
        await Assert.ThrowsAsync<BrokerUnavailableException>(async () => await cutOff.Broker.PositionAsync("room:a"));
        relay.Reopen();
        await Eventually.TrueAsync(() => cutOff.Node.IsConnected, "the node to reconnect");
        await publisher.Broker.PublishAsync("room:a", Json(2), null, null);
        // Subscribed after message 1, the feed may deliver it too (it catches up from the stream); message 2 comes either way.
        await Eventually.TrueAsync(() => cutOff.Handler.Messages.Any(m => Text(m) == "2"), "message 2 through the late subscription");
        Assert.Equal(cutOff.Handler.Serials("room:a").Order(), cutOff.Handler.Serials("room:a"));
    }

    [Fact]
    public async Task A_node_started_while_Redis_is_unreachable_serves_once_Redis_is_there()
    {
        var relay = new TcpRelay(_redis.Port);
        _owned.Add(relay);
        relay.Cut();
        var late = await NodeAsync(relay.Configuration + ",connectTimeout=500");
        var publisher = await NodeAsync();
        var refused = await Assert.ThrowsAsync<BrokerUnavailableException>(async () => await late.Broker.PublishAsync("room:a", Json(0), null, null));
        Assert.Contains("Retry later", refused.Message, StringComparison.Ordinal);
        await late.Broker.SubscribeAsync("room:a");

        relay.Reopen();
        await Eventually.SucceedsAsync(() => late.Broker.PublishAsync("room:a", Json(1), null, null).AsTask(), "a publish once Redis is reachable");
        await publisher.Broker.PublishAsync("room:a", Json(2), null, null);
        await Eventually.TrueAsync(() => late.Handler.Messages.Any(m => Text(m) == "2"), "a message through the subscription made while unreachable");
        Assert.Equal(late.Handler.Serials("room:a").Order(), late.Handler.Serials("room:a"));
    }

    [Fact]
    public async Task A_Redis_crash_with_an_fsynced_append_only_file_loses_no_acknowledged_publish()
    {
        var subscriber = await NodeAsync();
        var publisher = await NodeAsync();
        await subscriber.Broker.SubscribeAsync("room:a");
        var acked = new List<StreamPosition>();
        for (int i = 1; i <= 20; i++) acked.Add((await publisher.Broker.PublishAsync("room:a", Json(i), null, null)).Message.Position);

        await _redis.KillAsync();
        await Assert.ThrowsAsync<BrokerUnavailableException>(async () => await publisher.Broker.PublishAsync("room:a", Json(-1), null, null));
        await _redis.StartAgainAsync();

        var next = await Eventually.SucceedsAsync(() => publisher.Broker.PublishAsync("room:a", Json(21), null, null).AsTask(), "a publish after the restart");
        Assert.Equal(new StreamPosition(21, acked[0].Epoch), next.Message.Position);
        var history = await publisher.Broker.HistoryAsync("room:a", new HistoryQuery(1000));
        Assert.Equal(Enumerable.Range(1, 21).Select(i => i.ToString()), history.Messages.Select(Text));
        Assert.Equal(acked, history.Messages.Take(20).Select(m => m.Position));
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count >= 21, "every message on the subscribing node");
        Assert.Equal(Enumerable.Range(1, 21).Select(i => (long)i), subscriber.Handler.Serials("room:a"));
    }

    [Fact]
    public async Task A_Redis_restarted_without_its_data_gives_channels_a_new_epoch_that_subscribers_follow()
    {
        var subscriber = await NodeAsync();
        var publisher = await NodeAsync();
        await subscriber.Broker.SubscribeAsync("room:a");
        var before = (await publisher.Broker.PublishAsync("room:a", Json(1), null, null)).Message.Position;
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 1, "the first message");

        await _redis.KillAsync();
        // Without its append-only file, Redis comes back empty, as one without persistence would.
        foreach (string file in Directory.GetFiles(Path.Combine(_redis.Directory, "appendonlydir"))) File.Delete(file);
        await _redis.StartAgainAsync();

        var after = (await Eventually.SucceedsAsync(() => publisher.Broker.PublishAsync("room:a", Json(2), null, null).AsTask(), "a publish after the restart")).Message.Position;
        Assert.Equal(1, after.Serial);
        Assert.NotEqual(before.Epoch, after.Epoch);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 2, "the first message of the new epoch");
        Assert.Equal([before, after], subscriber.Handler.Messages.Select(m => m.Position));
    }

    [Fact]
    public async Task A_subscription_lost_without_notice_is_renewed_and_what_it_missed_is_delivered_in_order()
    {
        var subscriber = await NodeAsync(configure: o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(200));
        var publisher = await NodeAsync();
        await subscriber.Broker.SubscribeAsync("room:a");
        await publisher.Broker.PublishAsync("room:a", Json(1), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 1, "the first message");
        // The connection's subscription disappears while the broker still counts on it, as after a renewal Redis refused.
        await subscriber.Node.Subscriber.UnsubscribeAsync(subscriber.Node.NotifyChannel("room:a"));
        await publisher.Broker.PublishAsync("room:a", Json(2), null, null);
        await publisher.Broker.PublishAsync("room:a", Json(3), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 3, "the messages missed while deaf");
        await publisher.Broker.PublishAsync("room:a", Json(4), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 4, "a live message on the renewed subscription");
        Assert.Equal([1, 2, 3, 4], subscriber.Handler.Serials("room:a"));
    }

    [Fact]
    public async Task A_channel_with_nothing_published_is_not_taken_for_deaf()
    {
        var subscriber = await NodeAsync(configure: o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(100));
        var publisher = await NodeAsync();
        await publisher.Broker.PublishAsync("room:quiet", Json(1), null, null);
        await subscriber.Broker.SubscribeAsync("room:quiet");
        int beats = 0;
        subscriber.Node.Beaten += () => Interlocked.Increment(ref beats);
        await Eventually.TrueAsync(() => Volatile.Read(ref beats) >= 5, "five liveness checks");
        // Message 1 came before the subscription: it is not owed, and no renewal replays it.
        Assert.Empty(subscriber.Handler.Messages);
    }

    [Fact]
    public async Task A_slow_Redis_gets_bounded_waiting_operations_and_refused_publishes_never_appear()
    {
        var node = await NodeAsync(configure: o =>
        {
            o.MaxPendingOperations = 4;
            o.OperationTimeout = TimeSpan.FromSeconds(1);
            o.ClockSkewAllowance = TimeSpan.FromMilliseconds(200);
            // No heartbeat during the test: every waiting slot is the test's.
            o.HeartbeatInterval = TimeSpan.FromMinutes(1);
            o.NodeTimeout = TimeSpan.FromMinutes(2);
        });
        var before = await node.Broker.PublishAsync("room:slow", Json(0), null, null);
        Assert.Equal("+OK", await _redis.CommandAsync("CLIENT", "PAUSE", "2500", "ALL"));

        var attempts = Enumerable.Range(1, 10).Select(i => Attempt(node.Broker.PublishAsync("room:slow", Json(i), "m-" + i, null))).ToArray();
        var errors = await Task.WhenAll(attempts);

        Assert.All(errors, e => Assert.IsType<BrokerUnavailableException>(e));
        Assert.InRange(errors.Count(e => e!.Message.Contains("refused without being sent", StringComparison.Ordinal)), 6, 10);
        Assert.Contains(errors, e => e!.Message.Contains("did not confirm the publish", StringComparison.Ordinal));
        // Once Redis resumes, the publishes that were waiting reach it past their deadline and are dropped there.
        var after = await Eventually.SucceedsAsync(() => node.Broker.PublishAsync("room:slow", Json(11), null, null).AsTask(), "a publish after the pause");
        Assert.Equal(before.Message.Serial + 1, after.Message.Serial);
        var history = await node.Broker.HistoryAsync("room:slow", new HistoryQuery(100));
        Assert.Equal(["0", "11"], history.Messages.Select(Text));
        Assert.Equal(0, node.Node.PendingOperations);
    }

    private static async Task<Exception?> Attempt(ValueTask<PublishResult> publish)
    {
        try
        {
            await publish;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
