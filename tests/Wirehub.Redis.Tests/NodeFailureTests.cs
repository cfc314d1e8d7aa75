using System.Text.Json;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

/// <summary>Nodes and Redis failing under live traffic, with every node a separate process.</summary>
[Collection(NodeProcessesCollection.Name)]
public sealed class NodeFailureTests : IAsyncLifetime
{
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

    private async Task<WirehubNode> NodeAsync()
    {
        // History long enough that continuity never depends on how fast a client reconnects on a busy machine.
        var node = await WirehubNode.StartAsync(_redis.Configuration, "--publish-rate", "1000", "--history-size", "1000");
        _owned.Insert(1, node);
        return node;
    }

    private static long Serial(JsonElement e) => e.GetProperty("serial").GetInt64();

    private static string Publish(long id, string channel, string data) =>
        $"{{\"type\":\"publish\",\"id\":{id},\"channel\":\"{channel}\",\"data\":{data}}}";

    /// <summary>A subscriber that follows the protocol's recovery: on a lost connection it reconnects elsewhere with its key and last position.</summary>
    private sealed class Follower(string channel)
    {
        public List<long> Serials { get; } = [];
        public string Epoch { get; private set; } = "";
        public string RecoveryKey { get; private set; } = "";
        public List<bool> Recovered { get; } = [];
        public WireClient Client { get; private set; } = null!;

        public async Task JoinAsync(WirehubNode node)
        {
            var (client, connected) = await node.ConnectAsync();
            Client = client;
            RecoveryKey = connected.GetProperty("recoveryKey").GetString()!;
            var subscribed = await client.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
            Epoch = subscribed.GetProperty("position").GetProperty("epoch").GetString()!;
        }

        /// <summary>Reads messages until <paramref name="last"/>; when the connection drops, resumes on <paramref name="fallback"/>.</summary>
        public async Task ReadUntilAsync(long last, WirehubNode fallback)
        {
            while (Serials.Count == 0 || Serials[^1] < last)
            {
                JsonElement? frame;
                try
                {
                    frame = await Client.ReceiveAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    frame = null;
                }
                if (frame is null)
                {
                    await Client.DisposeAsync();
                    await ResumeAsync(fallback);
                    continue;
                }
                if (frame.Value.GetProperty("type").GetString() != "message") continue;
                Serials.Add(Serial(frame.Value));
            }
        }

        private async Task ResumeAsync(WirehubNode node)
        {
            long position = Serials.Count > 0 ? Serials[^1] : 0;
            var client = await node.OpenAsync();
            var connected = await client.RequestAsync(
                $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{RecoveryKey}\",\"positions\":{{\"{channel}\":{{\"serial\":{position},\"epoch\":\"{Epoch}\"}}}}}}}}",
                "connected");
            RecoveryKey = connected.GetProperty("recoveryKey").GetString()!;
            Recovered.Add(connected.GetProperty("subscriptions")[0].GetProperty("recovered").GetBoolean());
            Client = client;
            if (!Recovered[^1]) throw new Xunit.Sdk.XunitException($"Resuming after serial {position} lost continuity: {connected.GetRawText()}");
        }
    }

    [Fact]
    public async Task Clients_of_a_killed_node_resume_on_another_node_without_a_gap()
    {
        const string channel = "room:crash";
        const int total = 150;
        var doomed = await NodeAsync();
        var survivor = await NodeAsync();
        var publishing = await NodeAsync();
        var followers = Enumerable.Range(0, 5).Select(_ => new Follower(channel)).ToArray();
        foreach (var follower in followers) await follower.JoinAsync(doomed);
        var (publisher, _) = await publishing.ConnectAsync();
        await using var p = publisher;

        var reading = followers.Select(f => f.ReadUntilAsync(total, survivor)).ToArray();
        for (int i = 1; i <= total; i++)
        {
            Assert.Equal(i, Serial(await publisher.RequestAsync(Publish(i, channel, i.ToString()), "ack")));
            if (i == total / 3) await doomed.KillAsync();
        }
        await Task.WhenAll(reading);

        foreach (var follower in followers)
        {
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), follower.Serials);
            Assert.Equal([true], follower.Recovered);
            await follower.Client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Through_a_Redis_crash_clients_keep_their_connections_and_no_acknowledged_publish_is_lost()
    {
        const string channel = "room:restart";
        var reading = await NodeAsync();
        var publishing = await NodeAsync();
        var (reader, _) = await reading.ConnectAsync();
        await using var r = reader;
        await reader.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        var (publisher, _) = await publishing.ConnectAsync();
        await using var p = publisher;
        for (int i = 1; i <= 5; i++) await publisher.RequestAsync(Publish(i, channel, i.ToString()), "ack");
        string epoch = (await reader.ExpectAsync("message")).GetProperty("epoch").GetString()!;
        for (int i = 2; i <= 5; i++) Assert.Equal(i, Serial(await reader.ExpectAsync("message")));

        await _redis.KillAsync();
        var refused = await publisher.RequestAsync(Publish(6, channel, "\"during the outage\""), "error");
        Assert.Equal(503, refused.GetProperty("code").GetInt32());
        Assert.True(refused.GetProperty("retriable").GetBoolean());
        await reader.RequestAsync("{\"type\":\"ping\"}", "pong");
        await _redis.StartAgainAsync();

        // The publisher retries as a client would, until Redis is back and the publish is acknowledged.
        var ack = await Eventually.SucceedsAsync(async () => await publisher.RequestAsync(Publish(7, channel, "6"), "ack"), "a publish after the restart");
        Assert.Equal((6L, epoch), (Serial(ack), ack.GetProperty("epoch").GetString()));
        var message = await reader.ExpectAsync("message");
        Assert.Equal((6L, "6"), (Serial(message), message.GetProperty("data").GetRawText()));
        var history = await reader.RequestAsync($"{{\"type\":\"history\",\"id\":3,\"channel\":\"{channel}\",\"limit\":100}}", "history");
        Assert.Equal(["1", "2", "3", "4", "5", "6"], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("data").GetRawText()));
    }

    [Fact]
    public async Task While_Redis_is_paused_a_publish_fails_as_retriable_and_never_appears_afterwards()
    {
        const string channel = "room:paused";
        var node = await NodeAsync();
        var (publisher, _) = await node.ConnectAsync();
        await using var p = publisher;
        await publisher.RequestAsync(Publish(1, channel, "1"), "ack");

        // Longer than the node's 5 s operation timeout: the publish waits for Redis, then gives up.
        Assert.Equal("+OK", await _redis.CommandAsync("CLIENT", "PAUSE", "7000", "WRITE"));
        var refused = await publisher.RequestAsync(Publish(2, channel, "\"while paused\""), "error");
        Assert.Equal(503, refused.GetProperty("code").GetInt32());
        Assert.True(refused.GetProperty("retriable").GetBoolean());

        var ack = await Eventually.SucceedsAsync(async () => await publisher.RequestAsync(Publish(3, channel, "3"), "ack"), "a publish after the pause");
        Assert.Equal(2, Serial(ack));
        var history = await publisher.RequestAsync($"{{\"type\":\"history\",\"id\":4,\"channel\":\"{channel}\",\"limit\":100}}", "history");
        Assert.Equal(["1", "3"], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("data").GetRawText()));
    }
}
