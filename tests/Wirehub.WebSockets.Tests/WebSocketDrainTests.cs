using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// The host's drain: new upgrades get 503, open connections get 1001 Going Away after what was queued for them, and
/// stopping the host runs it.
/// </summary>
[Collection(MetricsCollection.Name)]
public class WebSocketDrainTests
{
    private static async Task<(WebApplication App, int Port)> StartAsync(TimeSpan window, Func<WebSocketConnection, Task>? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddWebSocketDrain(options => options.Window = window);
        var app = builder.Build();
        app.MapWebSocket("/ws", handler ?? EchoHandler.RunAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address).Port);
    }

    private static async Task<WebSocketClient[]> ConnectAsync(int port, int count)
    {
        var clients = new WebSocketClient[count];
        for (int i = 0; i < count; i++)
        {
            clients[i] = new WebSocketClient(new Uri($"ws://127.0.0.1:{port}/ws"));
            await clients[i].ConnectAsync();
        }
        return clients;
    }

    private static async Task<ushort?> CloseCodeOf(WebSocketClient client)
    {
        while (!(await client.ReceiveAsync()).IsClose)
        {
        }
        return client.CloseStatus;
    }

    [Fact]
    public async Task Drain_closes_every_connection_with_1001_and_completes_once_they_have_ended()
    {
        var (app, port) = await StartAsync(TimeSpan.FromMilliseconds(300));
        await using var _ = app;
        var clients = await ConnectAsync(port, 3);
        var drain = app.Services.GetRequiredService<WebSocketDrain>();
        await Eventually.Until(() => drain.ConnectionCount == 3, "the drain knows the three connections");

        var drained = drain.DrainAsync();
        foreach (var client in clients) Assert.Equal(CloseStatus.GoingAway, await CloseCodeOf(client));
        await drained.WaitAsync(RawPeer.Patience);
        Assert.Equal(0, drain.ConnectionCount);
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task Upgrade_while_draining_is_refused_with_503_and_counted()
    {
        var (app, port) = await StartAsync(TimeSpan.FromSeconds(1));
        await using var _ = app;
        var before = MeterReading.Take();
        await app.Services.GetRequiredService<WebSocketDrain>().DrainAsync();

        await using var raw = await RawHttpConnection.ConnectAsync(port);
        var response = await raw.ExchangeAsync(RawHttpConnection.UpgradeRequest(port));
        Assert.Equal(503, response.StatusCode);
        Assert.Equal(1, MeterReading.Take().Since(before, "handshake.failures", "draining"));
    }

    [Fact]
    public async Task Frames_queued_before_the_drain_reach_the_client_before_its_1001()
    {
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (app, port) = await StartAsync(TimeSpan.Zero, async connection =>
        {
            for (int i = 0; i < 100; i++) await connection.SendTextAsync($"message {i}");
            queued.TrySetResult();
            await connection.ReceiveAsync();
        });
        await using var _ = app;
        await using var client = (await ConnectAsync(port, 1))[0];
        await queued.Task.WaitAsync(RawPeer.Patience);

        var draining = app.Services.GetRequiredService<WebSocketDrain>().DrainAsync();
        int received = 0;
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (message.IsClose) break;
            Assert.Equal($"message {received++}", message.GetString());
        }
        Assert.Equal(100, received);
        Assert.Equal(CloseStatus.GoingAway, client.CloseStatus);
        await draining.WaitAsync(RawPeer.Patience);
    }

    [Fact]
    public async Task Stopping_the_host_drains_before_the_server_stops()
    {
        var (app, port) = await StartAsync(TimeSpan.FromMilliseconds(200));
        await using var client = (await ConnectAsync(port, 1))[0];
        var closed = CloseCodeOf(client);
        await app.StopAsync();
        Assert.Equal(CloseStatus.GoingAway, await closed.WaitAsync(RawPeer.Patience));
        await app.DisposeAsync();
    }

    [Fact]
    public void Shutdown_timeout_is_raised_to_cover_the_window()
    {
        var services = new ServiceCollection();
        services.AddWebSocketDrain(options => options.Window = TimeSpan.FromMinutes(2));
        var host = services.BuildServiceProvider().GetRequiredService<IOptions<HostOptions>>().Value;
        Assert.True(host.ShutdownTimeout > TimeSpan.FromMinutes(2), $"ShutdownTimeout is {host.ShutdownTimeout}.");
    }
}
