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

    private sealed record Closed(ushort? Code, long At);

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
        var closes = clients.Select(async client =>
        {
            while (!(await client.ReceiveAsync()).IsClose)
            {
            }
            return new Closed(client.CloseStatus, Stopwatch.GetTimestamp());
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
        // Spread, loosely: the closes span a good part of the window, and no quarter of the window saw half of them
        // (evenly spread, a quarter holds two of the six).
        var at = closed.Select(c => c.At).Order().ToArray();
        var spread = Stopwatch.GetElapsedTime(at[0], at[^1]);
        Assert.True(spread >= Window / 2, $"The closes spanned only {spread.TotalMilliseconds:0} ms of a {Window.TotalMilliseconds:0} ms window.");
        int bunched = at.Max(start => at.Count(t => t >= start && Stopwatch.GetElapsedTime(start, t) < Window / 4));
        Assert.True(bunched <= Clients / 2, $"{bunched} of {Clients} closes arrived within a quarter of the window.");

        Assert.Equal(0, await server.WaitForExitAsync(WirehubProcess.Patience));
        foreach (var client in clients) await client.DisposeAsync();
    }
}
