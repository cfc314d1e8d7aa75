using System.Diagnostics;
using System.Net;
using System.Net.Http;
using Wirehub.Protocol;
using Wirehub.Operations.Tests.Support;
using Wirehub.WebSockets;

namespace Wirehub.Operations.Tests;

/// <summary>
/// SIGTERM drains <c>wirehub serve</c>: readiness turns false at once, new upgrades are refused, every open connection
/// gets 1001 Going Away, the closes are spread over the drain window rather than sent at once, and the process exits 0.
/// </summary>
public sealed class GracefulDrainTests
{
    private const int Clients = 6;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    private sealed record Closed(ushort? Code, long At, int StillOpen);

    [Fact]
    public async Task Sigterm_closes_every_connection_with_1001_spread_over_the_window_and_exits_0()
    {
        await using var server = await WirehubProcess.StartAsync(["--drain-window", "3s"]);
        using var http = new HttpClient { Timeout = WirehubProcess.Patience };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(server.HttpUri("/readyz"))).StatusCode);

        var clients = new List<WebSocketClient>();
        for (int i = 0; i < Clients; i++)
        {
            var client = new WebSocketClient(server.WebSocketUri("/echo"));
            await client.ConnectAsync();
            clients.Add(client);
        }
        int open = Clients;
        var closes = clients.Select(async client =>
        {
            while (!(await client.ReceiveAsync()).IsClose)
            {
            }
            int stillOpen = Interlocked.Decrement(ref open);
            return new Closed(client.CloseStatus, Stopwatch.GetTimestamp(), stillOpen);
        }).ToArray();

        server.Terminate();
        // Readiness turns false while the connections are still being drained.
        var ready = await Eventually.Until(async () => (await http.GetAsync(server.HttpUri("/readyz"))).StatusCode,
            status => status == HttpStatusCode.ServiceUnavailable, "/readyz answers 503");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        var refused = await Assert.ThrowsAsync<WebSocketHandshakeException>(
            () => new WebSocketClient(server.WebSocketUri("/echo")).ConnectAsync());
        Assert.Equal(503, refused.StatusCode);

        var closed = await Task.WhenAll(closes).WaitAsync(WirehubProcess.Patience);
        Assert.All(closed, c => Assert.Equal(CloseStatus.GoingAway, c.Code));
        // Spread, loosely: when the first client was told to go, most of the others were still connected, and the
        // last close came a good part of the window after the first.
        var first = closed.MinBy(c => c.At)!;
        var last = closed.MaxBy(c => c.At)!;
        Assert.True(first.StillOpen >= Clients / 2, $"Only {first.StillOpen} of {Clients} clients were still open at the first close.");
        var spread = Stopwatch.GetElapsedTime(first.At, last.At);
        Assert.True(spread >= Window / 2, $"The closes spanned only {spread.TotalMilliseconds:0} ms of a {Window.TotalMilliseconds:0} ms window.");

        Assert.Equal(0, await server.WaitForExitAsync(WirehubProcess.Patience));
        foreach (var client in clients) await client.DisposeAsync();
    }
}
