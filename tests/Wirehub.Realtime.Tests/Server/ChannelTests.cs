using System.Text.Json;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class ChannelTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync(o =>
    {
        o.PublishRate = 100_000;
        o.Namespaces["small"] = new Channels.NamespaceOptions { HistorySize = 3 };
        o.Namespaces["news"] = new Channels.NamespaceOptions { Publish = Channels.PublishPolicy.ServerOnly };
        o.Namespaces["club"] = new Channels.NamespaceOptions { Publish = Channels.PublishPolicy.Subscribers };
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Publish(int id, string channel, string data = "{\"text\":\"hi\"}", string? messageId = null) =>
        $"{{\"type\":\"publish\",\"id\":{id},\"channel\":\"{channel}\",\"data\":{data}" + (messageId is null ? "}" : $",\"messageId\":\"{messageId}\"}}");

    private static long Serial(JsonElement e) => e.GetProperty("serial").GetInt64();

    [Fact]
    public async Task Subscribe_is_answered_with_the_channel_position()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var subscribed = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:lobby\"}", "subscribed");
        Assert.Equal(2, subscribed.GetProperty("id").GetInt64());
        Assert.Equal("room:lobby", subscribed.GetProperty("channel").GetString());
        Assert.Equal(0, Serial(subscribed.GetProperty("position")));
        Assert.False(string.IsNullOrEmpty(subscribed.GetProperty("position").GetProperty("epoch").GetString()));
        Assert.False(subscribed.TryGetProperty("recovered", out _));
    }

    [Fact]
    public async Task Subscribing_twice_fails_with_409()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:lobby\"}", "subscribed");
        var error = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":3,\"channel\":\"room:lobby\"}", "error");
        Assert.Equal(409, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Unsubscribe_is_answered_with_unsubscribed_and_stops_messages()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:a\"}", "subscribed");
        var reply = await client.RequestAsync("{\"type\":\"unsubscribe\",\"id\":5,\"channel\":\"room:a\"}", "unsubscribed");
        Assert.Equal(5, reply.GetProperty("id").GetInt64());
        Assert.Equal("room:a", reply.GetProperty("channel").GetString());
        await client.RequestAsync(Publish(6, "room:a"), "ack");
    }

    [Fact]
    public async Task Unsubscribe_without_subscription_fails_with_404()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var error = await client.RequestAsync("{\"type\":\"unsubscribe\",\"id\":5,\"channel\":\"room:a\"}", "error");
        Assert.Equal(404, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Publish_is_acknowledged_and_pushed_to_subscribers_as_documented()
    {
        var (subscriber, _) = await _server.ConnectAsync();
        await using var s = subscriber;
        var (publisher, connected) = await _server.ConnectAsync();
        await using var p = publisher;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:lobby\"}", "subscribed");
        var ack = await publisher.RequestAsync(Publish(6, "room:lobby", messageId: "m-1f4"), "ack");
        Assert.Equal(6, ack.GetProperty("id").GetInt64());
        Assert.Equal("room:lobby", ack.GetProperty("channel").GetString());
        Assert.Equal(1, Serial(ack));
        Assert.Equal("m-1f4", ack.GetProperty("messageId").GetString());
        var message = await subscriber.ExpectAsync("message");
        Assert.Equal("room:lobby", message.GetProperty("channel").GetString());
        Assert.Equal(1, Serial(message));
        Assert.Equal(ack.GetProperty("epoch").GetString(), message.GetProperty("epoch").GetString());
        Assert.Equal("m-1f4", message.GetProperty("id").GetString());
        Assert.True(message.GetProperty("time").GetInt64() > 1_700_000_000_000);
        Assert.Equal(connected.GetProperty("clientId").GetString(), message.GetProperty("publisher").GetProperty("clientId").GetString());
        Assert.Equal(connected.GetProperty("connectionId").GetString(), message.GetProperty("publisher").GetProperty("connectionId").GetString());
        Assert.Equal("hi", message.GetProperty("data").GetProperty("text").GetString());
        Assert.False(message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public async Task Publish_without_message_id_gets_one_assigned()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var ack = await client.RequestAsync(Publish(6, "room:x"), "ack");
        Assert.False(string.IsNullOrEmpty(ack.GetProperty("messageId").GetString()));
    }

    [Fact]
    public async Task Retried_publish_with_the_same_message_id_is_acknowledged_with_the_original_serial()
    {
        var (subscriber, _) = await _server.ConnectAsync();
        await using var s = subscriber;
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:idem\"}", "subscribed");
        var first = await client.RequestAsync(Publish(6, "room:idem", messageId: "m-1"), "ack");
        var retry = await client.RequestAsync(Publish(7, "room:idem", messageId: "m-1"), "ack");
        await client.RequestAsync(Publish(8, "room:idem", messageId: "m-2"), "ack");
        Assert.Equal(Serial(first), Serial(retry));
        Assert.Equal(1, Serial(await subscriber.ExpectAsync("message")));
        Assert.Equal(2, Serial(await subscriber.ExpectAsync("message")));
    }

    [Fact]
    public async Task Publish_to_a_server_only_namespace_fails_with_403()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var error = await client.RequestAsync(Publish(6, "news:today"), "error");
        Assert.Equal(403, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Publish_to_a_subscribers_only_namespace_needs_a_subscription()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        Assert.Equal(403, (await client.RequestAsync(Publish(6, "club:a"), "error")).GetProperty("code").GetInt32());
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":7,\"channel\":\"club:a\"}", "subscribed");
        await client.SendAsync(Publish(8, "club:a"));
        var types = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() }.Select(r => r!.Value.GetProperty("type").GetString());
        Assert.Equal(["ack", "message"], types.Order());
    }

    [Fact]
    public async Task Every_subscriber_sees_every_message_once_in_serial_order()
    {
        var subscribers = new List<WireClient>();
        for (int i = 0; i < 3; i++)
        {
            var (c, _) = await _server.ConnectAsync();
            await c.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:order\"}", "subscribed");
            subscribers.Add(c);
        }
        var (p1, _) = await _server.ConnectAsync();
        var (p2, _) = await _server.ConnectAsync();
        await Task.WhenAll(PublishMany(p1, 100), PublishMany(p2, 100));
        foreach (var subscriber in subscribers)
        {
            for (long expected = 1; expected <= 200; expected++) Assert.Equal(expected, Serial(await subscriber.ExpectAsync("message")));
            await subscriber.DisposeAsync();
        }
        await p1.DisposeAsync();
        await p2.DisposeAsync();
    }

    private static async Task PublishMany(WireClient publisher, int count)
    {
        for (int i = 1; i <= count; i++) await publisher.SendAsync(Publish(i, "room:order"));
        for (int i = 1; i <= count; i++) await publisher.ExpectAsync("ack");
    }

    [Fact]
    public async Task Subscribe_since_replays_then_goes_live_without_gap_or_duplicate_while_others_publish()
    {
        var (publisher, _) = await _server.ConnectAsync();
        await using var p = publisher;
        var first = await publisher.RequestAsync(Publish(1, "room:replay"), "ack");
        string epoch = first.GetProperty("epoch").GetString()!;
        var publishing = Task.Run(async () =>
        {
            for (int i = 2; i <= 60; i++) await publisher.SendAsync(Publish(i, "room:replay"));
            for (int i = 2; i <= 60; i++) await publisher.ExpectAsync("ack");
        });
        var (subscriber, _) = await _server.ConnectAsync();
        await using var s = subscriber;
        var subscribed = await subscriber.RequestAsync(
            $"{{\"type\":\"subscribe\",\"id\":3,\"channel\":\"room:replay\",\"since\":{{\"serial\":0,\"epoch\":\"{epoch}\"}}}}", "subscribed");
        Assert.True(subscribed.GetProperty("recovered").GetBoolean());
        await publishing;
        for (long expected = 1; expected <= 60; expected++) Assert.Equal(expected, Serial(await subscriber.ExpectAsync("message")));
        await subscriber.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Subscribe_with_rewind_replays_the_last_messages_in_order()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        for (int i = 1; i <= 5; i++) await client.RequestAsync(Publish(i, "room:rewind"), "ack");
        var subscribed = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room:rewind\",\"rewind\":2}", "subscribed");
        Assert.Equal(5, Serial(subscribed.GetProperty("position")));
        Assert.Equal(4, Serial(await client.ExpectAsync("message")));
        Assert.Equal(5, Serial(await client.ExpectAsync("message")));
        await client.SendAsync(Publish(9, "room:rewind"));
        var replies = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() };
        Assert.Equal(6, Serial(replies.Single(r => r!.Value.GetProperty("type").GetString() == "message")!.Value));
        Assert.Single(replies, r => r!.Value.GetProperty("type").GetString() == "ack");
    }

    [Fact]
    public async Task Subscribe_since_a_position_history_no_longer_holds_reports_recovered_false()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        JsonElement ack = default;
        for (int i = 1; i <= 6; i++) ack = await client.RequestAsync(Publish(i, "small:a"), "ack");
        string epoch = ack.GetProperty("epoch").GetString()!;
        var subscribed = await client.RequestAsync(
            $"{{\"type\":\"subscribe\",\"id\":7,\"channel\":\"small:a\",\"since\":{{\"serial\":1,\"epoch\":\"{epoch}\"}}}}", "subscribed");
        Assert.False(subscribed.GetProperty("recovered").GetBoolean());
        Assert.Equal("continuity_lost", subscribed.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Subscribe_since_another_epoch_reports_recovered_false()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        await client.RequestAsync(Publish(1, "room:ep"), "ack");
        var subscribed = await client.RequestAsync(
            "{\"type\":\"subscribe\",\"id\":7,\"channel\":\"room:ep\",\"since\":{\"serial\":0,\"epoch\":\"gone\"}}", "subscribed");
        Assert.False(subscribed.GetProperty("recovered").GetBoolean());
    }

    [Fact]
    public async Task History_is_answered_forward_backward_limited_and_since()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        JsonElement ack = default;
        for (int i = 1; i <= 5; i++) ack = await client.RequestAsync(Publish(i, "room:h", $"{{\"n\":{i}}}"), "ack");
        string epoch = ack.GetProperty("epoch").GetString()!;
        var forward = await client.RequestAsync("{\"type\":\"history\",\"id\":8,\"channel\":\"room:h\"}", "history");
        Assert.Equal(8, forward.GetProperty("id").GetInt64());
        Assert.Equal(5, Serial(forward.GetProperty("position")));
        Assert.Equal([1L, 2, 3, 4, 5], forward.GetProperty("messages").EnumerateArray().Select(Serial));
        Assert.Equal(3, forward.GetProperty("messages")[2].GetProperty("data").GetProperty("n").GetInt32());
        var backward = await client.RequestAsync("{\"type\":\"history\",\"id\":9,\"channel\":\"room:h\",\"limit\":2,\"direction\":\"backward\"}", "history");
        Assert.Equal([5L, 4], backward.GetProperty("messages").EnumerateArray().Select(Serial));
        var since = await client.RequestAsync(
            $"{{\"type\":\"history\",\"id\":10,\"channel\":\"room:h\",\"since\":{{\"serial\":3,\"epoch\":\"{epoch}\"}}}}", "history");
        Assert.Equal([4L, 5], since.GetProperty("messages").EnumerateArray().Select(Serial));
    }

    [Fact]
    public async Task History_is_bounded_by_the_namespace_size()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        for (int i = 1; i <= 5; i++) await client.RequestAsync(Publish(i, "small:h"), "ack");
        var history = await client.RequestAsync("{\"type\":\"history\",\"id\":8,\"channel\":\"small:h\"}", "history");
        Assert.Equal([3L, 4, 5], history.GetProperty("messages").EnumerateArray().Select(Serial));
    }

    [Fact]
    public async Task History_since_a_lost_position_fails_with_410_continuity_lost()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        JsonElement ack = default;
        for (int i = 1; i <= 6; i++) ack = await client.RequestAsync(Publish(i, "small:l"), "ack");
        var error = await client.RequestAsync(
            $"{{\"type\":\"history\",\"id\":8,\"channel\":\"small:l\",\"since\":{{\"serial\":1,\"epoch\":\"{ack.GetProperty("epoch").GetString()}\"}}}}", "error");
        Assert.Equal(410, error.GetProperty("code").GetInt32());
        Assert.Equal("continuity_lost", error.GetProperty("reason").GetString());
    }
}
