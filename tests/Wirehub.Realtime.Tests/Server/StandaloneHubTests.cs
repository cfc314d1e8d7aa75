using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Server;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class StandaloneHubTests
{
    [Fact]
    public async Task MapWirehub_with_options_serves_without_registered_services()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapWirehub("/connection", new RealtimeOptions { MaxSubscriptions = 7 });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = await WireClient.OpenAsync(new Uri(address.Replace("http", "ws") + "/connection"));
        var connected = await client.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
        await client.DisposeAsync();
        Assert.Equal(7, connected.GetProperty("limits").GetProperty("maxSubscriptions").GetInt32());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
    }
}
