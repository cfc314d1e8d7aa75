using System.Diagnostics;
using System.Net;
using System.Net.Http;
using Wirehub.Operations.Tests.Support;
using Wirehub.WebSockets;

namespace Wirehub.Operations.Tests;

/// <summary>
/// SIGTERM drains <c>wirehub serve</c>'s fallback sessions with its WebSockets: Server-Sent Events streams get their
/// <c>close</c> event and polls their <c>close</c> object with 1001, on the same schedule spread over the drain window,
/// while <c>/readyz</c> answers 503 and new sessions are refused; then the process exits 0.
/// </summary>
public sealed class FallbackDrainTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    private sealed record Closed(string Transport, int? Code, long At);

    private static async Task<Closed> WebSocketCloseAsync(WebSocketClient client)
    {
        while (!(await client.ReceiveAsync()).IsClose)
        {
        }
        return new Closed("websocket", client.CloseStatus, Stopwatch.GetTimestamp());
    }

    [Fact]
    public async Task Sigterm_closes_websocket_sse_and_polling_sessions_with_1001_spread_over_the_window_and_exits_0()
    {
        await using var server = await WirehubProcess.StartAsync(["--drain-window", "3s"]);
        using var http = new HttpClient { Timeout = WirehubProcess.Patience };
        var root = server.HttpUri("/");

        var sockets = new List<WebSocketClient>();
        var sse = new List<SseSession>();
        var polls = new List<PollSession>();
        for (int i = 0; i < 2; i++)
        {
            var socket = new WebSocketClient(server.WebSocketUri("/connection").ToString(), "wirehub.v1");
            await socket.ConnectAsync();
            await socket.SendAsync("{\"type\":\"connect\",\"id\":1}");
            Assert.Contains("\"connected\"", (await socket.ReceiveAsync()).GetString());
            sockets.Add(socket);
            sse.Add(await SseSession.ConnectAsync(root));
            polls.Add(await PollSession.ConnectAsync(root));
        }
        var closes = sockets.Select(WebSocketCloseAsync)
            .Concat(sse.Select(async s => new Closed("sse", await s.CloseCodeAsync(), Stopwatch.GetTimestamp())))
            .Concat(polls.Select(async p => new Closed("longpolling", await p.CloseCodeAsync(), Stopwatch.GetTimestamp())))
            .ToArray();

        server.Terminate();
        // Readiness turns false, and new fallback sessions are refused, while the sessions are still being drained.
        var ready = await Eventually.Until(async () => (await http.GetAsync(server.HttpUri("/readyz"))).StatusCode,
            status => status == HttpStatusCode.ServiceUnavailable, "/readyz answers 503");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        using (var refused = await http.PostAsync(server.HttpUri("/connection/poll"), null))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        var closed = await Task.WhenAll(closes).WaitAsync(WirehubProcess.Patience);
        Assert.All(closed, c => Assert.True(c.Code == 1001, $"A {c.Transport} session was closed with {c.Code}."));
        // Spread, loosely: the closes span a good part of the window, and no quarter of the window saw half of them
        // (evenly spread, a quarter holds two of the six).
        var at = closed.Select(c => c.At).Order().ToArray();
        var spread = Stopwatch.GetElapsedTime(at[0], at[^1]);
        Assert.True(spread >= Window / 2, $"The closes spanned only {spread.TotalMilliseconds:0} ms of a {Window.TotalMilliseconds:0} ms window.");
        int bunched = at.Max(start => at.Count(t => t >= start && Stopwatch.GetElapsedTime(start, t) < Window / 4));
        Assert.True(bunched <= closed.Length / 2, $"{bunched} of {closed.Length} closes arrived within a quarter of the window.");

        Assert.Equal(0, await server.WaitForExitAsync(WirehubProcess.Patience));
        foreach (var socket in sockets) await socket.DisposeAsync();
        foreach (var session in sse) await session.DisposeAsync();
        foreach (var session in polls) session.Dispose();
    }
}
