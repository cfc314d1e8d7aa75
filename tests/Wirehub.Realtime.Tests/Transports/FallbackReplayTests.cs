using Wirehub.Realtime.Channels;
using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

/// <summary>
/// A replay is history the client asked for: over the HTTP fallbacks too, it goes at the client's pace however much
/// larger than the send-queue bound it is, instead of closing the session as a slow consumer.
/// </summary>
public sealed class FallbackReplayTests
{
    private const int SendQueueLimit = 16 * 1024;
    // About 400 KiB of frames: 25 times the bound.
    private const int Replayed = 400;

    private static Task<FallbackServer> StartServerAsync() => FallbackServer.StartAsync(o =>
    {
        o.SendQueueLimit = SendQueueLimit;
        o.PublishRate = 1_000_000;
        o.RequestRate = 1_000_000;
        o.Namespaces["feed"] = new NamespaceOptions { HistorySize = Replayed };
    });

    private static async Task PublishAsync(FallbackServer server, int count)
    {
        var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _ = publisher;
        string data = new('x', 1000);
        for (int n = 1; n <= count; n++)
            await publisher.RequestAsync($$"""{"type":"publish","id":{{n + 1}},"channel":"feed:replay","data":"{{data}}"}""", "ack");
    }

    [Theory]
    [InlineData(TransportKind.Poll)]
    [InlineData(TransportKind.Sse)]
    public async Task Rewind_far_beyond_the_send_queue_bound_is_replayed_in_full(TransportKind kind)
    {
        await using var server = await StartServerAsync();
        await PublishAsync(server, Replayed);
        var (client, _) = await server.ConnectAsync(kind);
        await using var _c = client;

        // The POST is answered once its frames took effect, here once the replay is queued: read meanwhile, as the
        // SDK's transports do (a poll is always outstanding, the event stream always read).
        var subscribing = client.SendAsync($$"""{"type":"subscribe","id":2,"channel":"feed:replay","rewind":{{Replayed}}}""");
        await client.ExpectAsync("subscribed");
        var messages = await client.CollectAsync("message", Replayed);
        await subscribing;
        var pong = await client.RequestAsync("{\"type\":\"ping\"}", "pong");

        Assert.Equal(Enumerable.Range(1, Replayed).Select(n => (long)n), messages.Select(m => m.GetProperty("serial").GetInt64()));
        Assert.Equal("pong", pong.GetProperty("type").GetString());
    }
}
