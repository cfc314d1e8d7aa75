using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Protocol;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// Connections of other transports (<see cref="IDrainableConnection"/>) drain with the WebSocket connections: one
/// schedule over all of them, and the drain ends only when every one has ended.
/// </summary>
public class DrainableConnectionTests
{
    private static WebSocketDrain NewDrain(TimeSpan window, TimeProvider? time = null) =>
        new(new WebSocketDrainOptions { Window = window }, time, null);

    [Fact]
    public async Task Drain_spreads_the_closes_of_other_transports_over_the_window()
    {
        var clock = new ManualClock();
        var drain = NewDrain(TimeSpan.FromSeconds(4), clock);
        var connections = Enumerable.Range(0, 4).Select(_ => new FakeDrainableConnection()).ToArray();
        foreach (var connection in connections) Assert.True(drain.TryTrack(connection));

        var drained = drain.DrainAsync();
        for (int second = 0; second < 4; second++)
        {
            // One more connection is due at each quarter of the window, the first at once.
            await Eventually.Until(() => connections.Count(c => c.GoneAway == 1) == second + 1, $"{second + 1} connections are told to go away");
            await Eventually.Until(() => clock.PendingTimers > 0 || second == 3, "the drain waits for the next close");
            Assert.Equal(second + 1, connections.Count(c => c.GoneAway == 1));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.All(connections, c => Assert.Equal(1, c.GoneAway));

        foreach (var connection in connections) drain.Untrack(connection);
        await drained.WaitAsync(RawPeer.Patience);
        Assert.Equal(0, drain.ConnectionCount);
    }

    [Fact]
    public async Task Drain_completes_only_once_every_tracked_connection_is_untracked()
    {
        var drain = NewDrain(TimeSpan.Zero);
        var first = new FakeDrainableConnection();
        var second = new FakeDrainableConnection();
        drain.TryTrack(first);
        drain.TryTrack(second);

        var drained = drain.DrainAsync();
        await Eventually.Until(() => first.GoneAway == 1 && second.GoneAway == 1, "both are told to go away");
        drain.Untrack(first);
        Assert.False(drained.IsCompleted, "The drain completed while a connection was still open.");
        Assert.Equal(1, drain.ConnectionCount);
        drain.Untrack(second);
        await drained.WaitAsync(RawPeer.Patience);
    }

    [Fact]
    public async Task Connection_tracked_after_the_drain_began_must_be_closed_by_its_transport_at_once()
    {
        var drain = NewDrain(TimeSpan.Zero);
        var drained = drain.DrainAsync();
        var late = new FakeDrainableConnection();

        Assert.False(drain.TryTrack(late));
        Assert.Equal(1, drain.ConnectionCount);
        drain.Untrack(late);
        await drained.WaitAsync(RawPeer.Patience);
    }

    [Fact]
    public void Tracking_on_a_drain_that_has_not_begun_succeeds()
    {
        var drain = NewDrain(TimeSpan.FromSeconds(1));
        var connection = new FakeDrainableConnection();
        Assert.True(drain.TryTrack(connection));
        Assert.Equal(1, drain.ConnectionCount);
        Assert.Equal(0, connection.GoneAway);
        drain.Untrack(connection);
        Assert.Equal(0, drain.ConnectionCount);
    }

    [Fact]
    public async Task Drain_closes_websockets_and_other_transports_alike_and_waits_for_both()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddWebSocketDrain(options => options.Window = TimeSpan.FromMilliseconds(200));
        await using var app = builder.Build();
        app.MapWebSocket("/ws", EchoHandler.RunAsync);
        await app.StartAsync();
        int port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        var drain = app.Services.GetRequiredService<WebSocketDrain>();
        await using var client = new WebSocketClient(new Uri($"ws://127.0.0.1:{port}/ws"));
        await client.ConnectAsync();
        var other = new FakeDrainableConnection();
        Assert.True(drain.TryTrack(other));
        await Eventually.Until(() => drain.ConnectionCount == 2, "the drain knows the WebSocket and the other connection");

        var drained = drain.DrainAsync();
        while (!(await client.ReceiveAsync()).IsClose)
        {
        }
        Assert.Equal(CloseStatus.GoingAway, client.CloseStatus);
        await Eventually.Until(() => other.GoneAway == 1, "the other connection is told to go away");
        await Eventually.Until(() => drain.ConnectionCount == 1, "the WebSocket has ended");
        Assert.False(drained.IsCompleted, "The drain completed while the other connection was still open.");
        drain.Untrack(other);
        await drained.WaitAsync(RawPeer.Patience);
    }
}
