using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class SlowConsumerTests
{
    [Fact]
    public async Task Subscriber_whose_send_queue_overflows_is_closed_with_1008()
    {
        await using var server = await RealtimeServer.StartAsync(o =>
        {
            o.SendQueueLimit = 64 * 1024;
            o.PublishRate = 100_000;
            o.RequestRate = 100_000;
        });
        var (slow, _) = await server.ConnectAsync();
        await using var s = slow;
        await slow.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:flood\"}", "subscribed");
        var (publisher, _) = await server.ConnectAsync();
        await using var p = publisher;
        string publish = "{\"type\":\"publish\",\"id\":1,\"channel\":\"room:flood\",\"data\":\"" + new string('x', 60_000) + "\"}";
        // The slow subscriber reads nothing while the publisher floods: socket buffers fill, then the server's queue.
        for (int i = 0; i < 400; i++)
        {
            await publisher.SendAsync(publish);
            await publisher.ExpectAsync("ack");
        }
        Assert.Equal((ushort)1008, await slow.ExpectCloseAsync());
    }
}
