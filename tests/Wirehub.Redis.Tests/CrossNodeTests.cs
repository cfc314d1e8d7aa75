using System.Text.Json;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

/// <summary>Three nodes as separate processes on one Redis behave as one system: no node is special, no stickiness.</summary>
[Collection(NodeProcessesCollection.Name)]
public sealed class CrossNodeTests(ThreeNodesFixture nodes) : IClassFixture<ThreeNodesFixture>
{
    private static long Serial(JsonElement e) => e.GetProperty("serial").GetInt64();

    private static string Channel() => "room:" + Guid.NewGuid().ToString("N")[..8];

    private static string Publish(int id, string channel, string data) =>
        $"{{\"type\":\"publish\",\"id\":{id},\"channel\":\"{channel}\",\"data\":{data}}}";

    private static async Task<WireClient> SubscribedAsync(WirehubNode node, string channel)
    {
        var (client, _) = await node.ConnectAsync();
        await client.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        return client;
    }

    [Fact]
    public async Task A_client_on_one_node_receives_in_order_everything_published_through_the_others()
    {
        string channel = Channel();
        await using var reader = await SubscribedAsync(nodes.A, channel);
        var (viaB, _) = await nodes.B.ConnectAsync();
        var (viaC, _) = await nodes.C.ConnectAsync();
        await using var b = viaB;
        await using var c = viaC;
        async Task<List<(long Serial, string Data)>> PublishAllAsync(WireClient client, string name)
        {
            var acked = new List<(long, string)>();
            for (int i = 1; i <= 25; i++)
            {
                string data = $"\"{name}{i}\"";
                acked.Add((Serial(await client.RequestAsync(Publish(10 + i, channel, data), "ack")), data));
            }
            return acked;
        }
        var published = (await Task.WhenAll(PublishAllAsync(b, "b"), PublishAllAsync(c, "c"))).SelectMany(x => x).OrderBy(x => x.Serial).ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), published.Select(p => p.Serial));

        var received = new List<(long Serial, string Data)>();
        for (int i = 0; i < 50; i++)
        {
            var message = await reader.ExpectAsync("message");
            received.Add((Serial(message), message.GetProperty("data").GetRawText()));
        }
        Assert.Equal(published, received);
    }

    [Fact]
    public async Task Every_node_receives_a_message_once_per_subscriber()
    {
        string channel = Channel();
        var readers = new List<WireClient>();
        foreach (var node in nodes.Nodes) readers.Add(await SubscribedAsync(node, channel));
        foreach (var node in nodes.Nodes) readers.Add(await SubscribedAsync(node, channel));
        var (publisher, _) = await nodes.B.ConnectAsync();
        await using var p = publisher;
        await publisher.RequestAsync(Publish(5, channel, "1"), "ack");
        await publisher.RequestAsync(Publish(6, channel, "2"), "ack");
        foreach (var reader in readers)
        {
            Assert.Equal(1, Serial(await reader.ExpectAsync("message")));
            Assert.Equal(2, Serial(await reader.ExpectAsync("message")));
            // The next frame answers this ping: no duplicate of either message came in between.
            await reader.RequestAsync("{\"type\":\"ping\"}", "pong");
            await reader.DisposeAsync();
        }
    }

    [Fact]
    public async Task History_reads_the_same_from_every_node()
    {
        string channel = Channel();
        var (publisher, _) = await nodes.A.ConnectAsync();
        await using var p = publisher;
        for (int i = 1; i <= 5; i++) await publisher.RequestAsync(Publish(i, channel, i.ToString()), "ack");
        var answers = new List<string>();
        foreach (var node in nodes.Nodes)
        {
            var (client, _) = await node.ConnectAsync();
            await using var owned = client;
            var history = await client.RequestAsync($"{{\"type\":\"history\",\"id\":3,\"channel\":\"{channel}\",\"limit\":10}}", "history");
            Assert.Equal(5, history.GetProperty("messages").GetArrayLength());
            answers.Add(history.GetProperty("position").GetRawText() + history.GetProperty("messages").GetRawText());
        }
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task Presence_reads_the_same_from_every_node_and_its_events_reach_every_node()
    {
        string channel = Channel();
        await using var watcher = await SubscribedAsync(nodes.C, channel);
        await using var ada = await SubscribedAsync(nodes.A, channel);
        await ada.RequestSeenByItselfAsync($"{{\"type\":\"presence.enter\",\"id\":9,\"channel\":\"{channel}\",\"data\":{{\"name\":\"Ada\"}}}}", "ok", "presence.event");
        var enter = await watcher.ExpectAsync("presence.event");
        Assert.Equal("enter", enter.GetProperty("action").GetString());
        Assert.Equal("Ada", enter.GetProperty("member").GetProperty("data").GetProperty("name").GetString());

        var answers = new List<string>();
        foreach (var node in nodes.Nodes)
        {
            await using var reader = await SubscribedAsync(node, channel);
            var members = await reader.RequestAsync($"{{\"type\":\"presence.get\",\"id\":4,\"channel\":\"{channel}\"}}", "presence");
            answers.Add(members.GetProperty("members").GetRawText());
        }
        Assert.Single(answers.Distinct());
        Assert.Contains("\"Ada\"", answers[0], StringComparison.Ordinal);

        await ada.RequestSeenByItselfAsync($"{{\"type\":\"presence.leave\",\"id\":10,\"channel\":\"{channel}\"}}", "ok", "presence.event");
        Assert.Equal("leave", (await watcher.ExpectAsync("presence.event")).GetProperty("action").GetString());
    }

    [Fact]
    public async Task A_session_dropped_on_one_node_is_recovered_on_another_with_the_messages_it_missed()
    {
        string channel = Channel();
        var (old, connected) = await nodes.A.ConnectAsync();
        await old.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        var (publisher, _) = await nodes.C.ConnectAsync();
        await using var p = publisher;
        await publisher.RequestAsync(Publish(1, channel, "1"), "ack");
        var first = await old.ExpectAsync("message");
        await old.AbortAsync();
        for (int i = 2; i <= 3; i++) await publisher.RequestAsync(Publish(i, channel, i.ToString()), "ack");

        string key = connected.GetProperty("recoveryKey").GetString()!;
        string epoch = first.GetProperty("epoch").GetString()!;
        string recover = $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{key}\",\"positions\":{{\"{channel}\":{{\"serial\":1,\"epoch\":\"{epoch}\"}}}}}}}}";
        // The drop reaches node A a little after the client knows of it; until A has stored the session, B cannot find it.
        var again = await Eventually.SucceedsAsync(async () =>
        {
            var attempt = await nodes.B.OpenAsync();
            var reply = await attempt.RequestAsync(recover, "connected");
            if (!reply.GetProperty("recovered").GetBoolean())
            {
                await attempt.DisposeAsync();
                throw new InvalidOperationException("Not recovered yet.");
            }
            return (attempt, reply);
        }, "the session to be recovered on node B");
        await using var client = again.attempt;
        var reply = again.reply;
        Assert.Equal(connected.GetProperty("clientId").GetString(), reply.GetProperty("clientId").GetString());
        Assert.Equal(connected.GetProperty("connectionId").GetString(), reply.GetProperty("connectionId").GetString());
        var subscription = reply.GetProperty("subscriptions")[0];
        Assert.True(subscription.GetProperty("recovered").GetBoolean());
        Assert.Equal(3, Serial(subscription.GetProperty("position")));
        Assert.Equal(2, Serial(await client.ExpectAsync("message")));
        Assert.Equal(3, Serial(await client.ExpectAsync("message")));
        await publisher.RequestAsync(Publish(9, channel, "4"), "ack");
        Assert.Equal(4, Serial(await client.ExpectAsync("message")));
    }

    [Fact]
    public async Task A_session_recovered_on_another_node_keeps_its_presence_without_a_leave()
    {
        string channel = Channel();
        await using var watcher = await SubscribedAsync(nodes.C, channel);
        var (old, connected) = await nodes.A.ConnectAsync();
        await old.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        await old.RequestSeenByItselfAsync($"{{\"type\":\"presence.enter\",\"id\":3,\"channel\":\"{channel}\",\"data\":1}}", "ok", "presence.event");
        Assert.Equal("enter", (await watcher.ExpectAsync("presence.event")).GetProperty("action").GetString());
        string position = (await watcher.RequestAsync($"{{\"type\":\"history\",\"id\":5,\"channel\":\"{channel}\",\"limit\":1}}", "history"))
            .GetProperty("position").GetRawText();
        await old.AbortAsync();

        string recover = $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{connected.GetProperty("recoveryKey").GetString()}\",\"positions\":{{\"{channel}\":{position}}}}}}}";
        var resumed = await Eventually.SucceedsAsync(async () =>
        {
            var attempt = await nodes.B.OpenAsync();
            if ((await attempt.RequestAsync(recover, "connected")).GetProperty("recovered").GetBoolean()) return attempt;
            await attempt.DisposeAsync();
            throw new InvalidOperationException("Not recovered yet.");
        }, "the session to be recovered on node B");
        await using var client = resumed;

        // Well past the 1 s presence grace of node A, a marker message is the watcher's next frame: no leave came first.
        var (marker, _) = await nodes.B.ConnectAsync();
        await using var m = marker;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await marker.RequestAsync(Publish(8, channel, "\"marker\""), "ack");
        var next = await watcher.ExpectAsync("message");
        Assert.Equal("\"marker\"", next.GetProperty("data").GetRawText());
        var present = await watcher.RequestAsync($"{{\"type\":\"presence.get\",\"id\":6,\"channel\":\"{channel}\"}}", "presence");
        Assert.Equal(connected.GetProperty("connectionId").GetString(),
            Assert.Single(present.GetProperty("members").EnumerateArray()).GetProperty("connectionId").GetString());
    }

    [Fact]
    public async Task A_recovery_key_issued_by_one_node_is_valid_on_every_node()
    {
        var (first, connected) = await nodes.A.ConnectAsync();
        await first.DisposeAsync();
        foreach (var node in new[] { nodes.B, nodes.C })
        {
            await using var client = await node.OpenAsync();
            var reply = await client.RequestAsync($"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{connected.GetProperty("recoveryKey").GetString()}\"}}}}", "connected");
            Assert.Equal(connected.GetProperty("clientId").GetString(), reply.GetProperty("clientId").GetString());
        }
    }
}
