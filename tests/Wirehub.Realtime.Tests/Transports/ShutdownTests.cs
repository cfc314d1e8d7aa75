using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Wirehub.Realtime.Server.Transports;
using Wirehub.Realtime.Tests.Transports.Support;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_server_closes_event_streams_with_1001()
    {
        var server = await FallbackServer.StartAsync();
        var (client, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _c = client;
        var stopping = server.DisposeAsync();
        Assert.Equal((ushort)1001, await client.ExpectCloseAsync());
        await stopping;
    }

    [Fact]
    public async Task Stopping_server_answers_an_outstanding_poll_with_close_1001_and_drops_idle_sessions()
    {
        var server = await FallbackServer.StartAsync(fallback: f => f.PollTimeout = TimeSpan.FromMinutes(5));
        var (polled, _) = await server.ConnectAsync(TransportKind.Poll);
        await using var _p = polled;
        await using var idle = await PollClient.OpenAsync(server.Port);
        var sessions = server.Sessions;
        var polling = ((PollClient)polled).PollAsync();
        var transport = sessions.Find<PollTransport>(((PollClient)polled).SessionId)!;
        Assert.True(await FallbackServer.EventuallyAsync(() => transport.IsPolling));
        var stopping = server.DisposeAsync();
        var (_, close) = await polling;
        Assert.Equal((ushort)1001, close!.Value.Code);
        await stopping;
        Assert.Equal(0, sessions.Count);
    }

    [Fact]
    public async Task New_sessions_are_refused_503_while_the_host_drains()
    {
        var server = await FallbackServer.StartAsync(services: s => s.AddWebSocketDrain(d => d.Window = TimeSpan.FromSeconds(1)));
        var drain = server.Services.GetRequiredService<WebSocketDrain>();
        // An open WebSocket that reads nothing keeps the drain going until its closing handshake times out.
        var (socket, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _s = socket;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
        var stopping = server.DisposeAsync();
        Assert.True(await FallbackServer.EventuallyAsync(() => drain.IsDraining));
        using var poll = await http.PostAsync("/connection/poll", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, poll.StatusCode);
        Assert.NotNull(poll.Headers.RetryAfter);
        Assert.Equal((ushort)1001, await socket.ExpectCloseAsync());
        await stopping;
    }
}
