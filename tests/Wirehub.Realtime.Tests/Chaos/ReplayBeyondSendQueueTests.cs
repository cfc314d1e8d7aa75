using System.Text.Json;
using Wirehub.Realtime.Channels;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// A replay (rewind, since, recovery) is history the client asked for, not a backlog it failed to read: however much
/// larger than the send-queue bound it is, it is paced by the client's reading and delivered in full. Only a client that
/// stops reading while live messages pile up behind the replay is closed as a slow consumer (1008).
/// </summary>
public sealed class ReplayBeyondSendQueueTests
{
    private const string Channel = "feed:replay";
    private const int SendQueueLimit = 32 * 1024;
    // About 1 MiB of frames: thirty times the bound.
    private const int Replayed = 1000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private static Task<ChaosServer> StartServerAsync() => ChaosServer.StartAsync(o =>
    {
        o.SendQueueLimit = SendQueueLimit;
        o.PublishRate = 1_000_000;
        o.RequestRate = 1_000_000;
        o.Namespaces["feed"] = new NamespaceOptions { HistorySize = Replayed };
    });

    private static Uri DirectUrl(ChaosServer server) => new($"ws://127.0.0.1:{server.Port}/connection");

    private static async Task PublishAsync(ChaosServer server, int count)
    {
        await using var publisher = SdkSubscriber.CreateClient(DirectUrl(server));
        await publisher.ConnectAsync();
        var feed = publisher.Channel(Channel);
        for (int n = 1; n <= count; n++) await feed.PublishAsync(NumberedMessage.Data(n));
    }

    [Fact]
    public async Task Rewind_far_beyond_the_send_queue_bound_is_replayed_in_full_on_an_open_connection()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server, Replayed);
        await using var client = await WireClient.OpenAsync(DirectUrl(server));
        await client.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");

        await client.RequestAsync($$"""{"type":"subscribe","id":2,"channel":"{{Channel}}","rewind":{{Replayed}}}""", "subscribed");
        var serials = await ReceiveMessagesAsync(client, Replayed);
        var pong = await client.RequestAsync("{\"type\":\"ping\"}", "pong");

        Assert.Equal(Enumerable.Range(1, Replayed).Select(n => (long)n), serials);
        Assert.Equal("pong", pong.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Recovery_of_a_backlog_far_beyond_the_send_queue_bound_is_replayed_in_full_on_an_open_connection()
    {
        await using var server = await StartServerAsync();
        string recoveryKey;
        JsonElement position;
        await using (var first = await WireClient.OpenAsync(DirectUrl(server)))
        {
            var connected = await first.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
            recoveryKey = connected.GetProperty("recoveryKey").GetString()!;
            var subscribed = await first.RequestAsync($$"""{"type":"subscribe","id":2,"channel":"{{Channel}}"}""", "subscribed");
            position = subscribed.GetProperty("position");
            await first.AbortAsync();
        }
        await PublishAsync(server, Replayed);
        await using var client = await WireClient.OpenAsync(DirectUrl(server));

        var reconnected = await client.RequestAsync(
            $$"""{"type":"connect","id":1,"recover":{"key":"{{recoveryKey}}","positions":{"{{Channel}}":""" + position.GetRawText() + "}}}",
            "connected");
        var serials = await ReceiveMessagesAsync(client, Replayed);
        var pong = await client.RequestAsync("{\"type\":\"ping\"}", "pong");

        Assert.True(reconnected.GetProperty("subscriptions")[0].GetProperty("recovered").GetBoolean());
        Assert.Equal(Enumerable.Range(1, Replayed).Select(n => (long)n), serials);
        Assert.Equal("pong", pong.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Subscriber_that_stops_reading_during_a_replay_is_closed_with_1008_once_live_messages_pile_up()
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server, Replayed);
        await using var proxy = new ChaosProxy(server.Port);
        await using var client = await WireClient.OpenAsync(proxy.Url());
        await client.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
        var link = proxy.Current ?? throw new InvalidOperationException("The subscriber's link is not open.");

        link.Stall();
        await client.SendAsync($$"""{"type":"subscribe","id":2,"channel":"{{Channel}}","rewind":{{Replayed}}}""");
        // Ten times the bound of live messages arrive behind a replay the client is not reading.
        await PublishAsync(server, 10 * SendQueueLimit / 1024);
        link.Resume();
        var closeCode = await client.ExpectCloseAsync().WaitAsync(Patience);

        Assert.Equal((ushort)1008, closeCode);
    }

    private static async Task<List<long>> ReceiveMessagesAsync(WireClient client, int count)
    {
        var serials = new List<long>();
        while (serials.Count < count)
        {
            var frame = await client.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException(
                $"The connection closed with {client.Socket.CloseStatus} after {serials.Count} of {count} replayed messages.");
            if (frame.GetProperty("type").GetString() == "message") serials.Add(frame.GetProperty("serial").GetInt64());
        }
        return serials;
    }
}
