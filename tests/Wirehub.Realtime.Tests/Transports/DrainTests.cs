using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Wirehub.Realtime.Server.Transports;
using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.Realtime.Tests.Transports.Support;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Transports;

/// <summary>
/// The host's drain closes fallback sessions with the WebSocket connections: the same 1001, on the same schedule spread
/// over the window, and the drain ends once the fallback sessions have ended too.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class DrainTests
{
    private static Task<FallbackServer> StartAsync(TimeSpan window, Action<FallbackTransportOptions>? fallback = null) =>
        FallbackServer.StartAsync(fallback: fallback, services: s => s.AddWebSocketDrain(d => d.Window = window));

    private static WebSocketDrain DrainOf(FallbackServer server) => server.Services.GetRequiredService<WebSocketDrain>();

    private sealed record Closed(TransportKind Kind, ushort? Code, long At);

    [Fact]
    public async Task Drain_closes_websocket_sse_and_polling_sessions_with_1001_spread_over_the_window()
    {
        var window = TimeSpan.FromSeconds(3);
        await using var server = await StartAsync(window, f => f.PollTimeout = TimeSpan.FromMinutes(5));
        using var metrics = new TaggedMetrics();
        var kinds = new[] { TransportKind.WebSocket, TransportKind.Sse, TransportKind.Poll, TransportKind.WebSocket, TransportKind.Sse, TransportKind.Poll };
        var before = kinds.Distinct().ToDictionary(k => k, k => metrics.Read("transport.sessions.closed", TagOf(k), "code=1001"));
        var clients = new List<(TransportKind Kind, FrameClient Client)>();
        foreach (var kind in kinds) clients.Add((kind, (await server.ConnectAsync(kind)).Client));
        var drain = DrainOf(server);
        Assert.Equal(6, drain.ConnectionCount);

        var closes = clients.Select(async c => new Closed(c.Kind, await c.Client.ExpectCloseAsync(), Stopwatch.GetTimestamp())).ToArray();
        var drained = drain.DrainAsync();
        var closed = await Task.WhenAll(closes).WaitAsync(TimeSpan.FromSeconds(30));
        await drained.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(closed, c => Assert.True(c.Code == 1001, $"A {c.Kind} session was closed with {c.Code}."));
        Assert.Equal(0, drain.ConnectionCount);
        Assert.Equal(0, server.Sessions.Count);
        foreach (var (kind, count) in before)
            Assert.True(await FallbackServer.EventuallyAsync(() => metrics.Read("transport.sessions.closed", TagOf(kind), "code=1001") == count + 2),
                $"The {kind} sessions' 1001 closes are not counted.");
        // Spread, loosely: the closes span a good part of the window, and no quarter of it saw half of them (evenly
        // spread, a quarter holds two of the six).
        var at = closed.Select(c => c.At).Order().ToArray();
        var spread = Stopwatch.GetElapsedTime(at[0], at[^1]);
        Assert.True(spread >= window / 2, $"The closes spanned only {spread.TotalMilliseconds:0} ms of a {window.TotalMilliseconds:0} ms window.");
        int bunched = at.Max(start => at.Count(t => t >= start && Stopwatch.GetElapsedTime(start, t) < window / 4));
        Assert.True(bunched <= 3, $"{bunched} of 6 closes arrived within a quarter of the window.");
        foreach (var (_, client) in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task Drain_waits_for_a_fallback_session_to_deliver_its_close()
    {
        await using var server = await StartAsync(TimeSpan.Zero, f => f.PollTimeout = TimeSpan.FromMinutes(5));
        var (client, _) = await server.ConnectAsync(TransportKind.Poll);
        await using var _c = client;
        var drain = DrainOf(server);

        var drained = drain.DrainAsync();
        // No poll is outstanding: the session waits for the one that collects its close, and the drain with it.
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Find<PollTransport>(((PollClient)client).SessionId)?.Close is not null));
        Assert.False(drained.IsCompleted, "The drain completed before the session's close was delivered.");
        var (_, close) = await ((PollClient)client).PollAsync();
        Assert.Equal((ushort)1001, close!.Value.Code);
        await drained.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.Sessions.Count);
    }

    [Fact]
    public async Task Poll_session_nobody_polls_after_the_drain_is_dropped_long_before_its_session_timeout()
    {
        await using var server = await StartAsync(TimeSpan.Zero, f => f.SessionTimeout = TimeSpan.FromMinutes(5));
        await using var client = await PollClient.OpenAsync(server.Port);
        var drained = DrainOf(server).DrainAsync();

        // Within the engine's close timeout (5 s) rather than the five-minute session timeout.
        await drained.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, server.Sessions.Count);
        using var late = await client.GetAsync();
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
    }

    [Fact]
    public async Task Session_opened_while_draining_is_refused_503_and_counted_as_draining()
    {
        await using var server = await StartAsync(TimeSpan.FromSeconds(1));
        using var metrics = new TaggedMetrics();
        long before = metrics.Read("fallback.requests.refused", "reason=draining");
        await DrainOf(server).DrainAsync();

        using var sse = await server.Http.GetAsync("/connection/sse");
        using var poll = await server.Http.PostAsync("/connection/poll", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sse.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, poll.StatusCode);
        Assert.Equal(before + 2, metrics.Read("fallback.requests.refused", "reason=draining"));
    }

    [Fact]
    public async Task Stopping_the_host_drains_fallback_sessions_before_the_server_stops()
    {
        var server = await StartAsync(TimeSpan.FromMilliseconds(300));
        var (sse, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _s = sse;
        var stopping = server.DisposeAsync();
        Assert.Equal((ushort)1001, await sse.ExpectCloseAsync());
        await stopping;
    }

    private static string TagOf(TransportKind kind) => kind switch
    {
        TransportKind.WebSocket => "transport=websocket",
        TransportKind.Sse => "transport=sse",
        _ => "transport=longpolling",
    };
}
