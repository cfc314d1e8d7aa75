using System.Text;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;

namespace Wirehub.Realtime.Tests.Broker;

public sealed class InMemoryBrokerTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly NamespaceOptions _rules = new() { HistorySize = 5, HistoryTtl = TimeSpan.FromMinutes(1) };

    private InMemoryBroker Create() =>
        new(_ => _rules, new InMemoryBrokerOptions { SweepInterval = TimeSpan.Zero, MaxIdempotencyEntries = 3 }, _time);

    private static ReadOnlyMemory<byte> Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Publishes_get_consecutive_serials_from_one()
    {
        using var broker = Create();
        var a = await broker.PublishAsync("room:a", Json("1"), null, null);
        var b = await broker.PublishAsync("room:a", Json("2"), null, null);
        Assert.Equal(1, a.Message.Serial);
        Assert.Equal(2, b.Message.Serial);
        Assert.Equal(a.Message.Epoch, b.Message.Epoch);
    }

    [Fact]
    public async Task Channels_have_independent_streams()
    {
        using var broker = Create();
        await broker.PublishAsync("room:a", Json("1"), null, null);
        var other = await broker.PublishAsync("room:b", Json("1"), null, null);
        Assert.Equal(1, other.Message.Serial);
        Assert.NotEqual((await broker.PositionAsync("room:a")).Epoch, other.Message.Epoch);
    }

    [Fact]
    public async Task Same_message_id_is_published_once()
    {
        using var broker = Create();
        var first = await broker.PublishAsync("room:a", Json("1"), "m-1", null);
        var retry = await broker.PublishAsync("room:a", Json("1"), "m-1", null);
        Assert.False(first.Duplicate);
        Assert.True(retry.Duplicate);
        Assert.Equal(first.Message.Serial, retry.Message.Serial);
        Assert.Equal(1, (await broker.PositionAsync("room:a")).Serial);
    }

    [Fact]
    public async Task Message_id_is_forgotten_after_the_idempotency_window()
    {
        using var broker = Create();
        await broker.PublishAsync("room:a", Json("1"), "m-1", null);
        _time.Advance(TimeSpan.FromMinutes(3));
        var again = await broker.PublishAsync("room:a", Json("1"), "m-1", null);
        Assert.False(again.Duplicate);
        Assert.Equal(2, again.Message.Serial);
    }

    [Fact]
    public async Task Message_ids_beyond_the_count_bound_are_forgotten_oldest_first()
    {
        using var broker = Create();
        for (int i = 1; i <= 4; i++) await broker.PublishAsync("room:a", Json("1"), $"m-{i}", null);
        Assert.False((await broker.PublishAsync("room:a", Json("1"), "m-1", null)).Duplicate);
        Assert.True((await broker.PublishAsync("room:a", Json("1"), "m-4", null)).Duplicate);
    }

    [Fact]
    public async Task History_keeps_the_newest_messages_up_to_the_namespace_size()
    {
        using var broker = Create();
        for (int i = 1; i <= 8; i++) await broker.PublishAsync("room:a", Json(i.ToString()), null, null);
        var history = await broker.HistoryAsync("room:a", new HistoryQuery(100));
        Assert.Equal([4L, 5, 6, 7, 8], history.Messages.Select(m => m.Serial));
        Assert.Equal(8, history.Position.Serial);
    }

    [Fact]
    public async Task History_drops_messages_older_than_the_namespace_ttl()
    {
        using var broker = Create();
        await broker.PublishAsync("room:a", Json("1"), null, null);
        _time.Advance(TimeSpan.FromSeconds(40));
        await broker.PublishAsync("room:a", Json("2"), null, null);
        _time.Advance(TimeSpan.FromSeconds(30));
        var history = await broker.HistoryAsync("room:a", new HistoryQuery(100));
        Assert.Equal([2L], history.Messages.Select(m => m.Serial));
    }

    [Fact]
    public async Task Backward_history_is_newest_first_and_limited()
    {
        using var broker = Create();
        for (int i = 1; i <= 5; i++) await broker.PublishAsync("room:a", Json("1"), null, null);
        var history = await broker.HistoryAsync("room:a", new HistoryQuery(2, HistoryDirection.Backward));
        Assert.Equal([5L, 4], history.Messages.Select(m => m.Serial));
    }

    [Fact]
    public async Task History_since_a_position_returns_only_later_messages()
    {
        using var broker = Create();
        for (int i = 1; i <= 5; i++) await broker.PublishAsync("room:a", Json("1"), null, null);
        var position = await broker.PositionAsync("room:a");
        var history = await broker.HistoryAsync("room:a", new HistoryQuery(100, Since: position with { Serial = 3 }));
        Assert.True(history.Covered);
        Assert.Equal([4L, 5], history.Messages.Select(m => m.Serial));
    }

    [Fact]
    public async Task History_since_the_current_position_is_covered_and_empty()
    {
        using var broker = Create();
        for (int i = 1; i <= 9; i++) await broker.PublishAsync("room:a", Json("1"), null, null);
        var position = await broker.PositionAsync("room:a");
        var history = await broker.HistoryAsync("room:a", new HistoryQuery(100, Since: position));
        Assert.True(history.Covered);
        Assert.Empty(history.Messages);
    }

    [Fact]
    public async Task History_since_a_position_no_longer_retained_is_not_covered()
    {
        using var broker = Create();
        for (int i = 1; i <= 8; i++) await broker.PublishAsync("room:a", Json("1"), null, null);
        var position = await broker.PositionAsync("room:a");
        var history = await broker.HistoryAsync("room:a", new HistoryQuery(100, Since: position with { Serial = 2 }));
        Assert.False(history.Covered);
        Assert.Empty(history.Messages);
    }

    [Fact]
    public async Task History_since_a_position_of_another_epoch_is_not_covered()
    {
        using var broker = Create();
        await broker.PublishAsync("room:a", Json("1"), null, null);
        var history = await broker.HistoryAsync("room:a", new HistoryQuery(100, Since: new StreamPosition(0, "other")));
        Assert.False(history.Covered);
    }

    [Fact]
    public async Task A_reclaimed_channel_starts_a_new_epoch()
    {
        using var broker = Create();
        var before = await broker.PublishAsync("room:a", Json("1"), null, null);
        _time.Advance(TimeSpan.FromMinutes(5));
        broker.Sweep();
        Assert.Equal(0, broker.StreamCount);
        var after = await broker.PublishAsync("room:a", Json("1"), null, null);
        Assert.NotEqual(before.Message.Epoch, after.Message.Epoch);
        Assert.Equal(1, after.Message.Serial);
    }

    [Fact]
    public async Task A_channel_with_retained_history_is_not_reclaimed()
    {
        using var broker = Create();
        await broker.PublishAsync("room:a", Json("1"), null, null);
        _time.Advance(TimeSpan.FromSeconds(10));
        broker.Sweep();
        Assert.Equal(1, broker.StreamCount);
    }

    [Fact]
    public async Task Only_subscribed_channels_are_delivered_to_the_node_in_serial_order()
    {
        using var broker = Create();
        var handler = new RecordingHandler();
        broker.SetEventHandler(handler);
        await broker.SubscribeAsync("room:a");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++) await broker.PublishAsync("room:a", Json("1"), null, null);
        })));
        await broker.PublishAsync("room:b", Json("1"), null, null);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), handler.Messages.Select(m => m.Serial));
        Assert.All(handler.Messages, m => Assert.Equal("room:a", m.Channel));
    }

    [Fact]
    public async Task Unsubscribed_channel_is_no_longer_delivered()
    {
        using var broker = Create();
        var handler = new RecordingHandler();
        broker.SetEventHandler(handler);
        await broker.SubscribeAsync("room:a");
        await broker.UnsubscribeAsync("room:a");
        await broker.PublishAsync("room:a", Json("1"), null, null);
        Assert.Empty(handler.Messages);
    }

    [Fact]
    public async Task Message_push_is_encoded_once_with_the_raw_data()
    {
        using var broker = Create();
        var result = await broker.PublishAsync("room:a", Json("{\"text\": \"hi\"}"), "m-1",
            new PublisherIdentity("c-1", "k-1"));
        var push = result.Message.Push;
        Assert.Same(push, result.Message.Push);
        string json = Encoding.UTF8.GetString(push.Payload.Span);
        Assert.Contains("\"data\":{\"text\": \"hi\"}", json);
        Assert.Contains("\"publisher\":{\"clientId\":\"c-1\",\"connectionId\":\"k-1\"}", json);
    }

    [Fact]
    public async Task New_channel_beyond_the_channel_limit_fails_as_unavailable_until_one_is_reclaimed()
    {
        using var broker = new InMemoryBroker(_ => _rules, new InMemoryBrokerOptions { SweepInterval = TimeSpan.Zero, MaxChannels = 1 }, _time);
        await broker.PublishAsync("room:a", Json("1"), null, null);
        await Assert.ThrowsAsync<BrokerUnavailableException>(async () => await broker.PublishAsync("room:b", Json("1"), null, null));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, (await broker.PublishAsync("room:b", Json("1"), null, null)).Message.Serial);
    }
}
