using Wirehub.Realtime.Server.Transports;
using Wirehub.Realtime.Tests.Transports.Support;

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
}
