using System.Text;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

public sealed class RedisBrokerTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _prefix = RedisFixture.NewPrefix();
    private readonly ManualTimeProvider _time = new();
    private readonly NamespaceOptions _rules = new() { HistorySize = 5, HistoryTtl = TimeSpan.FromMinutes(1) };
    private readonly List<TestNode> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }

    private async Task<TestNode> NodeAsync(NamespaceOptions? rules = null)
    {
        var node = await TestNode.StartAsync(redis.Server.Configuration, _prefix, rules ?? _rules, _time,
            o => o.MaxIdempotencyEntries = 3);
        _nodes.Add(node);
        return node;
    }

    private static ReadOnlyMemory<byte> Json(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ChannelMessage message) => Encoding.UTF8.GetString(message.Data.Span);

    [Fact]
    public async Task Publishes_get_consecutive_serials_from_one_in_one_epoch()
    {
        var node = await NodeAsync();
        var a = await node.Broker.PublishAsync("room:a", Json("1"), null, null);
        var b = await node.Broker.PublishAsync("room:a", Json("2"), null, null);
        Assert.Equal(1, a.Message.Serial);
        Assert.Equal(2, b.Message.Serial);
        Assert.Equal(a.Message.Epoch, b.Message.Epoch);
        Assert.False(a.Duplicate);
    }

    [Fact]
    public async Task Nodes_publishing_to_one_channel_share_its_serials_and_epoch()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        var a = await first.Broker.PublishAsync("room:a", Json("1"), null, null);
        var b = await second.Broker.PublishAsync("room:a", Json("2"), null, null);
        var c = await first.Broker.PublishAsync("room:a", Json("3"), null, null);
        Assert.Equal([1, 2, 3], [a.Message.Serial, b.Message.Serial, c.Message.Serial]);
        Assert.Equal(a.Message.Epoch, b.Message.Epoch);
        Assert.Equal(await first.Broker.PositionAsync("room:a"), await second.Broker.PositionAsync("room:a"));
    }

    [Fact]
    public async Task Channels_have_independent_streams()
    {
        var node = await NodeAsync();
        await node.Broker.PublishAsync("room:a", Json("1"), null, null);
        var other = await node.Broker.PublishAsync("room:b", Json("1"), null, null);
        Assert.Equal(1, other.Message.Serial);
        Assert.NotEqual((await node.Broker.PositionAsync("room:a")).Epoch, other.Message.Epoch);
    }

    [Fact]
    public async Task A_new_channel_is_at_serial_zero_and_keeps_that_epoch_for_its_first_message()
    {
        var node = await NodeAsync();
        var empty = await node.Broker.PositionAsync("room:new");
        Assert.Equal(0, empty.Serial);
        Assert.Equal(empty, await node.Broker.PositionAsync("room:new"));
        var first = await node.Broker.PublishAsync("room:new", Json("1"), null, null);
        Assert.Equal(new StreamPosition(1, empty.Epoch), first.Message.Position);
    }

    [Fact]
    public async Task Same_message_id_is_published_once_whichever_node_gets_the_retry()
    {
        var first = await NodeAsync();
        var second = await NodeAsync();
        var publisher = new PublisherIdentity("c-1", "k-1");
        var original = await first.Broker.PublishAsync("room:a", Json("{\"n\":1}"), "m-1", publisher);
        var retry = await second.Broker.PublishAsync("room:a", Json("{\"n\":1}"), "m-1", publisher);
        Assert.False(original.Duplicate);
        Assert.True(retry.Duplicate);
        Assert.Equal(original.Message.Position, retry.Message.Position);
        Assert.Equal("m-1", retry.Message.Id);
        Assert.Equal(publisher, retry.Message.Publisher);
        Assert.Equal(1, (await first.Broker.PositionAsync("room:a")).Serial);
    }

    [Fact]
    public async Task Message_id_is_forgotten_after_the_idempotency_window()
    {
        var node = await NodeAsync();
        await node.Broker.PublishAsync("room:a", Json("1"), "m-1", null);
        _time.Advance(TimeSpan.FromMinutes(3));
        var again = await node.Broker.PublishAsync("room:a", Json("1"), "m-1", null);
        Assert.False(again.Duplicate);
        Assert.Equal(2, again.Message.Serial);
    }

    [Fact]
    public async Task Only_the_newest_message_ids_are_remembered()
    {
        var node = await NodeAsync();
        for (int i = 1; i <= 4; i++) await node.Broker.PublishAsync("room:a", Json("1"), "m-" + i, null);
        Assert.False((await node.Broker.PublishAsync("room:a", Json("1"), "m-1", null)).Duplicate);
        Assert.True((await node.Broker.PublishAsync("room:a", Json("1"), "m-4", null)).Duplicate);
    }

    [Fact]
    public async Task A_duplicate_of_a_message_no_longer_in_history_still_gets_its_serial()
    {
        var node = await NodeAsync(new NamespaceOptions { HistorySize = 0 });
        var original = await node.Broker.PublishAsync("room:a", Json("1"), "m-1", null);
        var retry = await node.Broker.PublishAsync("room:a", Json("1"), "m-1", null);
        Assert.True(retry.Duplicate);
        Assert.Equal(original.Message.Position, retry.Message.Position);
    }

    [Fact]
    public async Task Messages_keep_their_data_id_time_and_publisher()
    {
        var node = await NodeAsync();
        var publisher = new PublisherIdentity("c-ünï", "k-9");
        var published = await node.Broker.PublishAsync("room:a", Json("{\"text\":\"héllo\"}"), "m-x", publisher);
        var stored = Assert.Single((await node.Broker.HistoryAsync("room:a", new HistoryQuery(10))).Messages);
        Assert.Equal("{\"text\":\"héllo\"}", Text(stored));
        Assert.Equal("m-x", stored.Id);
        Assert.Equal(publisher, stored.Publisher);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), stored.Time);
        Assert.Equal(published.Message.Position, stored.Position);
    }

    [Fact]
    public async Task Server_side_publishes_get_a_server_id_and_no_publisher()
    {
        var node = await NodeAsync();
        var a = await node.Broker.PublishAsync("room:a", Json("1"), null, null);
        var b = await node.Broker.PublishAsync("room:a", Json("2"), null, null);
        Assert.StartsWith("s-", a.Message.Id);
        Assert.NotEqual(a.Message.Id, b.Message.Id);
        Assert.Null(Assert.Single((await node.Broker.HistoryAsync("room:a", new HistoryQuery(1))).Messages).Publisher);
    }

    [Fact]
    public async Task History_keeps_the_namespace_count()
    {
        var node = await NodeAsync();
        for (int i = 1; i <= 7; i++) await node.Broker.PublishAsync("room:a", Json(i.ToString()), null, null);
        var history = await node.Broker.HistoryAsync("room:a", new HistoryQuery(100));
        Assert.Equal([3, 4, 5, 6, 7], history.Messages.Select(m => m.Serial));
        Assert.Equal(7, history.Position.Serial);
    }

    [Fact]
    public async Task History_drops_messages_older_than_the_namespace_age()
    {
        var node = await NodeAsync();
        await node.Broker.PublishAsync("room:a", Json("1"), null, null);
        _time.Advance(TimeSpan.FromSeconds(40));
        await node.Broker.PublishAsync("room:a", Json("2"), null, null);
        _time.Advance(TimeSpan.FromSeconds(30));
        var history = await node.Broker.HistoryAsync("room:a", new HistoryQuery(100));
        Assert.Equal([2], history.Messages.Select(m => m.Serial));
    }

    [Fact]
    public async Task History_size_zero_keeps_nothing_while_serials_go_on()
    {
        var node = await NodeAsync(new NamespaceOptions { HistorySize = 0 });
        await node.Broker.PublishAsync("room:a", Json("1"), null, null);
        var second = await node.Broker.PublishAsync("room:a", Json("2"), null, null);
        Assert.Equal(2, second.Message.Serial);
        Assert.Empty((await node.Broker.HistoryAsync("room:a", new HistoryQuery(100))).Messages);
    }

    [Fact]
    public async Task Backward_history_is_newest_first_within_the_limit()
    {
        var node = await NodeAsync();
        for (int i = 1; i <= 4; i++) await node.Broker.PublishAsync("room:a", Json(i.ToString()), null, null);
        var history = await node.Broker.HistoryAsync("room:a", new HistoryQuery(2, HistoryDirection.Backward));
        Assert.Equal([4, 3], history.Messages.Select(m => m.Serial));
    }

    [Fact]
    public async Task History_since_a_retained_position_returns_what_follows_it()
    {
        var node = await NodeAsync();
        for (int i = 1; i <= 4; i++) await node.Broker.PublishAsync("room:a", Json(i.ToString()), null, null);
        var epoch = (await node.Broker.PositionAsync("room:a")).Epoch;
        var history = await node.Broker.HistoryAsync("room:a", new HistoryQuery(100, Since: new StreamPosition(2, epoch)));
        Assert.True(history.Covered);
        Assert.Equal([3, 4], history.Messages.Select(m => m.Serial));
    }

    [Fact]
    public async Task History_since_the_current_position_is_covered_and_empty()
    {
        var node = await NodeAsync();
        await node.Broker.PublishAsync("room:a", Json("1"), null, null);
        var position = await node.Broker.PositionAsync("room:a");
        var history = await node.Broker.HistoryAsync("room:a", new HistoryQuery(100, Since: position));
        Assert.True(history.Covered);
        Assert.Empty(history.Messages);
    }

    [Fact]
    public async Task History_since_a_trimmed_position_is_not_covered()
    {
        var node = await NodeAsync();
        for (int i = 1; i <= 8; i++) await node.Broker.PublishAsync("room:a", Json(i.ToString()), null, null);
        var epoch = (await node.Broker.PositionAsync("room:a")).Epoch;
        var history = await node.Broker.HistoryAsync("room:a", new HistoryQuery(100, Since: new StreamPosition(1, epoch)));
        Assert.False(history.Covered);
        Assert.Empty(history.Messages);
    }

    [Fact]
    public async Task History_since_another_epoch_is_not_covered()
    {
        var node = await NodeAsync();
        await node.Broker.PublishAsync("room:a", Json("1"), null, null);
        var history = await node.Broker.HistoryAsync("room:a", new HistoryQuery(100, Since: new StreamPosition(0, "other")));
        Assert.False(history.Covered);
    }

    [Fact]
    public async Task A_stream_lost_in_Redis_comes_back_with_a_new_epoch()
    {
        var node = await NodeAsync();
        var before = (await node.Broker.PublishAsync("room:a", Json("1"), null, null)).Message.Position;
        Assert.Equal(":1", await redis.Server.CommandAsync("DEL", _prefix + "{room:a}:s"));
        var after = (await node.Broker.PublishAsync("room:a", Json("2"), null, null)).Message.Position;
        Assert.Equal(1, after.Serial);
        Assert.NotEqual(before.Epoch, after.Epoch);
    }

    [Fact]
    public async Task A_stream_whose_epoch_was_lost_is_started_anew()
    {
        var node = await NodeAsync();
        var before = (await node.Broker.PublishAsync("room:a", Json("1"), null, null)).Message.Position;
        Assert.Equal(":1", await redis.Server.CommandAsync("DEL", _prefix + "{room:a}:m"));
        var position = await node.Broker.PositionAsync("room:a");
        Assert.Equal(0, position.Serial);
        Assert.NotEqual(before.Epoch, position.Epoch);
        Assert.Empty((await node.Broker.HistoryAsync("room:a", new HistoryQuery(100))).Messages);
    }

    [Fact]
    public async Task A_channel_idle_past_its_history_age_expires_from_Redis()
    {
        await using var quick = await TestNode.StartAsync(redis.Server.Configuration, _prefix, new NamespaceOptions { HistoryTtl = TimeSpan.FromMilliseconds(300) },
            configure: o => o.IdempotencyWindow = TimeSpan.FromMilliseconds(300));
        await quick.Broker.PublishAsync("room:idle", Json("1"), "m-1", null);
        await Eventually.TrueAsync(() => redis.Server.CommandAsync("EXISTS", _prefix + "{room:idle}:s").Result == ":0", "the idle stream to expire");
        Assert.Equal(":0", await redis.Server.CommandAsync("EXISTS", _prefix + "{room:idle}:m"));
        Assert.Equal(":0", await redis.Server.CommandAsync("EXISTS", _prefix + "{room:idle}:i"));
    }

    [Fact]
    public async Task Subscribers_on_another_node_receive_every_message_in_serial_order()
    {
        var subscriber = await NodeAsync();
        var publisher = await NodeAsync();
        await subscriber.Broker.SubscribeAsync("room:a");
        for (int i = 1; i <= 30; i++) await publisher.Broker.PublishAsync("room:a", Json(i.ToString()), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 30, "30 messages on the subscribing node");
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), subscriber.Handler.Serials("room:a"));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => i.ToString()), subscriber.Handler.Messages.Select(Text));
    }

    [Fact]
    public async Task Concurrent_publishes_from_two_nodes_reach_a_third_in_serial_order()
    {
        var subscriber = await NodeAsync();
        var left = await NodeAsync();
        var right = await NodeAsync();
        await subscriber.Broker.SubscribeAsync("room:a");
        var publishes = Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? left : right).Broker.PublishAsync("room:a", Json(i.ToString()), null, null).AsTask());
        var results = await Task.WhenAll(publishes);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), results.Select(r => r.Message.Serial).Order());
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 100, "100 messages on the subscribing node");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), subscriber.Handler.Serials("room:a"));
    }

    [Fact]
    public async Task A_node_receives_only_the_channels_it_subscribed_to_and_stops_after_unsubscribing()
    {
        var subscriber = await NodeAsync();
        var publisher = await NodeAsync();
        await subscriber.Broker.SubscribeAsync("room:a");
        await publisher.Broker.PublishAsync("room:b", Json("0"), null, null);
        await publisher.Broker.PublishAsync("room:a", Json("1"), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 1, "the message of room:a");
        await subscriber.Broker.UnsubscribeAsync("room:a");
        await publisher.Broker.PublishAsync("room:a", Json("2"), null, null);
        await subscriber.Broker.SubscribeAsync("room:c");
        await publisher.Broker.PublishAsync("room:c", Json("3"), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 2, "the message of room:c");
        Assert.Equal(["room:a", "room:c"], subscriber.Handler.Messages.Select(m => m.Channel));
    }

    [Fact]
    public async Task Subscribing_twice_to_a_channel_keeps_one_subscription()
    {
        var subscriber = await NodeAsync();
        var publisher = await NodeAsync();
        await subscriber.Broker.SubscribeAsync("room:a");
        await subscriber.Broker.SubscribeAsync("room:a");
        Assert.Equal(1, subscriber.Broker.FeedCount);
        await publisher.Broker.PublishAsync("room:a", Json("1"), null, null);
        await publisher.Broker.PublishAsync("room:a", Json("2"), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count >= 2, "two messages");
        await subscriber.Broker.PublishAsync("room:a", Json("3"), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count >= 3, "three messages");
        Assert.Equal([1, 2, 3], subscriber.Handler.Serials("room:a"));
    }

    [Fact]
    public async Task Fan_out_uses_sharded_pub_sub_on_a_server_that_has_it()
    {
        var node = await NodeAsync();
        await node.Broker.SubscribeAsync("room:a");
        Assert.Equal("*1", await redis.Server.CommandAsync("PUBSUB", "SHARDCHANNELS", _prefix + "{room:a}"));
        Assert.Equal("*0", await redis.Server.CommandAsync("PUBSUB", "CHANNELS", _prefix + "{room:a}"));
    }

    [Fact]
    public async Task Nodes_told_to_use_classic_pub_sub_deliver_through_it()
    {
        await using var subscriber = await TestNode.StartAsync(redis.Server.Configuration, _prefix, _rules, configure: o => o.ShardedPubSub = false);
        await using var publisher = await TestNode.StartAsync(redis.Server.Configuration, _prefix, _rules, configure: o => o.ShardedPubSub = false);
        await subscriber.Broker.SubscribeAsync("room:a");
        Assert.Equal("*1", await redis.Server.CommandAsync("PUBSUB", "CHANNELS", _prefix + "{room:a}"));
        await publisher.Broker.PublishAsync("room:a", Json("1"), null, null);
        await Eventually.TrueAsync(() => subscriber.Handler.Messages.Count == 1, "the message through classic pub/sub");
    }

    [Fact]
    public async Task Unsubscribing_the_last_local_subscriber_leaves_the_pub_sub_channel()
    {
        var node = await NodeAsync();
        await node.Broker.SubscribeAsync("room:a");
        await node.Broker.UnsubscribeAsync("room:a");
        await Eventually.TrueAsync(() => redis.Server.CommandAsync("PUBSUB", "SHARDCHANNELS", _prefix + "{room:a}").Result == "*0", "the shard channel to be left");
        Assert.Equal(0, node.Broker.FeedCount);
    }
}
