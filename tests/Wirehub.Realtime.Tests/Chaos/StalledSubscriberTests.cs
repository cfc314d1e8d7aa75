using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Server.Support;
using Xunit.Abstractions;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// A subscriber that stops reading costs the server one bounded send queue, then its connection (close 1008,
/// PROTOCOL.md "Close codes"); the channel's other subscribers and its publisher do not wait for it.
/// </summary>
public sealed class StalledSubscriberTests(ITestOutputHelper output)
{
    private const string Channel = "feed:stalled";
    private const int SendQueueLimit = 16 * 1024;
    private const int Messages = 1000;
    // About 400 KiB pushed at the stalled subscriber (frames of ~1 KiB), many times its queue plus the few kilobytes the
    // proxy and the kernel hold for it: by then the server has closed it. It then reads again to learn how it was closed.
    private const int ReadAgainAfter = 400;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Stalled_subscriber_is_closed_with_1008_while_the_others_get_every_message_and_every_ack()
    {
        await using var server = await ChaosServer.StartAsync(o =>
        {
            o.SendQueueLimit = SendQueueLimit;
            o.PublishRate = 1_000_000;
            o.RequestRate = 1_000_000;
        });
        var direct = new Uri($"ws://127.0.0.1:{server.Port}/connection");
        await using var proxy = new ChaosProxy(server.Port);
        await using var stalled = await WireClient.OpenAsync(proxy.Url());
        await stalled.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
        await stalled.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{Channel}\"}}", "subscribed");
        var stalledLink = proxy.Current ?? throw new InvalidOperationException("The stalled subscriber's link is not open.");
        stalledLink.Stall();

        var others = new List<SdkSubscriber>();
        for (int i = 0; i < 3; i++) others.Add(await SdkSubscriber.StartAsync($"sdk-{i}", direct, Channel));
        await using var publisher = SdkSubscriber.CreateClient(direct);
        await publisher.ConnectAsync();
        var feed = publisher.Channel(Channel);

        var ackedSerials = new List<long>();
        Task<(List<long> Serials, ushort? CloseCode)>? stalledReading = null;
        for (int n = 1; n <= Messages; n++)
        {
            var ack = await feed.PublishAsync(NumberedMessage.Data(n));
            ackedSerials.Add(ack.Serial);
            if (n == ReadAgainAfter)
            {
                stalledLink.Resume();
                stalledReading = ReadUntilClosedAsync(stalled);
            }
        }
        foreach (var subscriber in others) await subscriber.Log.WaitForCountAsync(Messages, Patience);
        var (stalledSerials, closeCode) = await stalledReading!.WaitAsync(Patience);
        output.WriteLine($"The stalled subscriber got {stalledSerials.Count} messages before its close {closeCode}.");

        Assert.Equal(Enumerable.Range(1, Messages).Select(n => (long)n), ackedSerials);
        foreach (var subscriber in others)
        {
            Assert.Equal(Enumerable.Range(1, Messages).Select(n => (long)n), subscriber.Log.Serials);
            Assert.Equal(RealtimeClientState.Connected, subscriber.Client.State);
            Assert.Empty(subscriber.CloseCodes);
        }
        Assert.Equal((ushort)1008, closeCode);
        Assert.InRange(stalledSerials.Count, 0, ReadAgainAfter - 1);
        Assert.Equal(Enumerable.Range(1, stalledSerials.Count).Select(n => (long)n), stalledSerials);
        foreach (var subscriber in others) await subscriber.DisposeAsync();
    }

    /// <summary>Reads the messages that reached the client before its connection closed, and the close code.</summary>
    private static async Task<(List<long> Serials, ushort? CloseCode)> ReadUntilClosedAsync(WireClient client)
    {
        var serials = new List<long>();
        while (true)
        {
            System.Text.Json.JsonElement? frame;
            try
            {
                frame = await client.ReceiveAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return (serials, client.Socket.CloseStatus);
            }
            if (frame is not { } f) return (serials, client.Socket.CloseStatus);
            if (f.GetProperty("type").GetString() == "message") serials.Add(f.GetProperty("serial").GetInt64());
        }
    }
}
