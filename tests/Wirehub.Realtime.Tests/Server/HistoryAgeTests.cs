using Microsoft.Extensions.DependencyInjection;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class HistoryAgeTests
{
    [Fact]
    public async Task History_drops_messages_older_than_the_namespace_ttl()
    {
        var clock = new Broker.ManualTimeProvider();
        await using var server = await RealtimeServer.StartAsync(
            o => o.Namespaces["brief"] = new Channels.NamespaceOptions { HistoryTtl = TimeSpan.FromMinutes(1) },
            services => services.AddSingleton<TimeProvider>(clock));
        var (client, _) = await server.ConnectAsync();
        await using var owned = client;
        await client.RequestAsync("{\"type\":\"publish\",\"id\":1,\"channel\":\"brief:a\",\"data\":1}", "ack");
        clock.Advance(TimeSpan.FromSeconds(45));
        await client.RequestAsync("{\"type\":\"publish\",\"id\":2,\"channel\":\"brief:a\",\"data\":2}", "ack");
        clock.Advance(TimeSpan.FromSeconds(30));
        var history = await client.RequestAsync("{\"type\":\"history\",\"id\":3,\"channel\":\"brief:a\"}", "history");
        Assert.Equal([2L], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("serial").GetInt64()));
        Assert.Equal(2, history.GetProperty("position").GetProperty("serial").GetInt64());
    }
}
