using System.Net;
using System.Net.Http;
using Wirehub.Operations.Tests.Support;

namespace Wirehub.Operations.Tests;

/// <summary>
/// <c>GET /metrics</c> of a running <c>wirehub serve</c> counts sessions by transport and the fallbacks' traffic and
/// refusals, under <c>wirehub_realtime_...</c> names.
/// </summary>
public sealed class FallbackMetricsEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = WirehubProcess.Patience };

    private static async Task<PrometheusText> ScrapeAsync(WirehubProcess server)
    {
        var response = await Http.GetAsync(server.HttpUri("/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Open_sessions_are_exported_by_transport_from_the_start()
    {
        await using var server = await WirehubProcess.StartAsync();
        var metrics = await ScrapeAsync(server);
        foreach (var transport in new[] { "websocket", "sse", "longpolling" })
        {
            Assert.True(metrics.Has("wirehub_realtime_transport_sessions_open", $"transport=\"{transport}\""), $"No open count for {transport}.");
            Assert.Equal(0, metrics.Value("wirehub_realtime_transport_sessions_open", $"transport=\"{transport}\""));
        }
        foreach (var name in new[] { "wirehub_realtime_transport_sessions_opened", "wirehub_realtime_fallback_messages_sent", "wirehub_realtime_fallback_bytes_sent",
                     "wirehub_realtime_fallback_messages_received", "wirehub_realtime_fallback_bytes_received" })
            Assert.Contains(name, metrics.Families);
    }

    [Fact]
    public async Task Fallback_sessions_their_traffic_and_their_closes_are_exported_by_transport()
    {
        await using var server = await WirehubProcess.StartAsync();
        var root = server.HttpUri("/");
        await using var sse = await SseSession.ConnectAsync(root);
        using var poll = await PollSession.ConnectAsync(root);

        var open = await ScrapeAsync(server);
        Assert.Equal(1, open.Value("wirehub_realtime_transport_sessions_open", "transport=\"sse\""));
        Assert.Equal(1, open.Value("wirehub_realtime_transport_sessions_open", "transport=\"longpolling\""));
        Assert.Equal(1, open.Value("wirehub_realtime_transport_sessions_opened", "transport=\"sse\""));
        Assert.Equal(1, open.Value("wirehub_realtime_transport_sessions_opened", "transport=\"longpolling\""));
        Assert.Equal(0, open.Value("wirehub_realtime_transport_sessions_open", "transport=\"websocket\""));
        // connected went down each fallback, and connect came up each.
        foreach (var transport in new[] { "sse", "longpolling" })
        {
            Assert.Equal(1, open.Value("wirehub_realtime_fallback_messages_sent", $"transport=\"{transport}\""));
            Assert.True(open.Value("wirehub_realtime_fallback_bytes_sent", $"transport=\"{transport}\"") > "{\"type\":\"connected\"}".Length,
                $"The bytes sent over {transport} are not counted.");
            Assert.Equal(1, open.Value("wirehub_realtime_fallback_messages_received", $"transport=\"{transport}\""));
            Assert.Equal("{\"type\":\"connect\",\"id\":1}".Length, open.Value("wirehub_realtime_fallback_bytes_received", $"transport=\"{transport}\""));
        }

        using (var deleted = await Http.DeleteAsync(server.HttpUri($"/connection/sse/{sse.Id}"))) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var closed = await Eventually.Until(() => ScrapeAsync(server),
            m => m.Value("wirehub_realtime_transport_sessions_closed", "code=\"1000\",transport=\"sse\"") == 1, "the close is counted by transport and code");
        Assert.Equal(0, closed.Value("wirehub_realtime_transport_sessions_open", "transport=\"sse\""));
        Assert.Equal(1, closed.Value("wirehub_realtime_transport_sessions_open", "transport=\"longpolling\""));
    }

    [Fact]
    public async Task Refused_fallback_requests_are_exported_by_reason()
    {
        await using var server = await WirehubProcess.StartAsync();
        using (var unknown = await Http.GetAsync(server.HttpUri("/connection/poll/AAAAAAAAAAAAAAAAAAAAAA")))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(1, (await ScrapeAsync(server)).Value("wirehub_realtime_fallback_requests_refused", "reason=\"unknown_session\""));
    }

    [Fact]
    public async Task WebSocket_sessions_are_exported_under_the_websocket_transport()
    {
        await using var server = await WirehubProcess.StartAsync();
        var client = await RealtimeClient.ConnectAsync(server.WebSocketUri("/connection"));
        Assert.Equal(1, (await ScrapeAsync(server)).Value("wirehub_realtime_transport_sessions_open", "transport=\"websocket\""));
        await client.CloseAsync();
        await client.DisposeAsync();
        var closed = await Eventually.Until(() => ScrapeAsync(server),
            m => m.Value("wirehub_realtime_transport_sessions_closed", "code=\"1000\",transport=\"websocket\"") == 1, "the close is counted by transport and code");
        Assert.Equal(0, closed.Value("wirehub_realtime_transport_sessions_open", "transport=\"websocket\""));
    }
}
