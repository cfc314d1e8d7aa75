using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class MixedTransportTests
{
    [Fact]
    public async Task WebSocket_sse_and_polling_subscribers_see_the_same_messages_in_the_same_order()
    {
        await using var server = await FallbackServer.StartAsync();
        var subscribers = new List<FrameClient>();
        try
        {
            foreach (var kind in new[] { TransportKind.WebSocket, TransportKind.Sse, TransportKind.Poll })
            {
                var (client, _) = await server.ConnectAsync(kind);
                subscribers.Add(client);
                await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:mix\"}", "subscribed");
            }
            var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
            await using var _p = publisher;
            const int count = 40;
            for (int i = 1; i <= count; i++)
                await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i + 1},\"channel\":\"room:mix\",\"data\":{i}}}", "ack");
            foreach (var subscriber in subscribers)
            {
                var messages = await subscriber.CollectAsync("message", count);
                Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), messages.Select(m => m.GetProperty("serial").GetInt64()));
                Assert.Equal(Enumerable.Range(1, count), messages.Select(m => m.GetProperty("data").GetInt32()));
            }
        }
        finally
        {
            foreach (var subscriber in subscribers) await subscriber.DisposeAsync();
        }
    }

    [Fact]
    public async Task Messages_published_over_sse_and_polling_reach_a_websocket_subscriber_in_serial_order()
    {
        await using var server = await FallbackServer.StartAsync();
        var (subscriber, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _s = subscriber;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:up\"}", "subscribed");
        var (sse, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _e = sse;
        var (poll, _) = await server.ConnectAsync(TransportKind.Poll);
        await using var _l = poll;
        var acks = new List<long>();
        for (int i = 0; i < 10; i++)
        {
            var publisher = i % 2 == 0 ? sse : poll;
            acks.Add((await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i + 2},\"channel\":\"room:up\",\"data\":{i}}}", "ack"))
                .GetProperty("serial").GetInt64());
        }
        var messages = await subscriber.CollectAsync("message", 10);
        Assert.Equal(acks, messages.Select(m => m.GetProperty("serial").GetInt64()));
        Assert.Equal(Enumerable.Range(0, 10), messages.Select(m => m.GetProperty("data").GetInt32()));
    }
}
