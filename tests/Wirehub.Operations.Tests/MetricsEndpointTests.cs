using System.Net;
using System.Net.Http;
using Wirehub.Operations.Tests.Support;
using Wirehub.WebSockets;

namespace Wirehub.Operations.Tests;

/// <summary>
/// <c>GET /metrics</c> of a running <c>wirehub serve</c>: the Wirehub meters in the Prometheus text format, every name
/// <c>wirehub_...</c>, with values that follow connections, messages, refused handshakes, sessions and shed load.
/// </summary>
public sealed class MetricsEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = WirehubProcess.Patience };

    private static async Task<PrometheusText> ScrapeAsync(WirehubProcess server)
    {
        var response = await Http.GetAsync(server.HttpUri("/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_exported_name_starts_with_wirehub()
    {
        await using var server = await WirehubProcess.StartAsync();
        var metrics = await ScrapeAsync(server);
        foreach (var name in new[]
                 {
                     "wirehub_websockets_connections_open", "wirehub_websockets_connections_opened",
                     "wirehub_websockets_messages_received", "wirehub_websockets_messages_sent",
                     "wirehub_websockets_bytes_received", "wirehub_websockets_bytes_sent",
                     "wirehub_websockets_send_queue_bytes", "wirehub_websockets_slow_consumer_disconnects",
                     "wirehub_realtime_sessions", "wirehub_realtime_channels", "wirehub_realtime_subscribers",
                 })
            Assert.Contains(name, metrics.Families);
        Assert.All(metrics.Families, name => Assert.StartsWith("wirehub_", name));
        Assert.All(metrics.SampleNames, name => Assert.StartsWith("wirehub_", name));
    }

    [Fact]
    public async Task Connection_and_message_counts_follow_an_echo_connection()
    {
        await using var server = await WirehubProcess.StartAsync();
        var client = new WebSocketClient(server.WebSocketUri("/echo"));
        await client.ConnectAsync();
        var open = await Eventually.Until(() => ScrapeAsync(server),
            m => m.Value("wirehub_websockets_connections_open") == 1, "the connection is counted open");
        Assert.Equal(1, open.Value("wirehub_websockets_connections_opened"));
        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync("hello");
            Assert.Equal("hello", (await client.ReceiveAsync()).GetString());
        }
        await client.CloseAsync(4000, "bye");
        await client.DisposeAsync();

        var closed = await Eventually.Until(() => ScrapeAsync(server),
            m => m.Value("wirehub_websockets_connections_closed", "code=\"4000\"") == 1, "the close is counted under its code");
        Assert.Equal(0, closed.Value("wirehub_websockets_connections_open"));
        Assert.Equal(1, closed.Value("wirehub_websockets_connections_opened"));
        Assert.Equal(3, closed.Value("wirehub_websockets_messages_received"));
        Assert.Equal(3, closed.Value("wirehub_websockets_messages_sent"));
        Assert.True(closed.Value("wirehub_websockets_bytes_received") >= 3 * 5, "The received frames are not counted in bytes.");
        Assert.True(closed.Value("wirehub_websockets_bytes_sent") >= 3 * 5, "The sent frames are not counted in bytes.");
    }

    [Fact]
    public async Task Refused_handshake_is_counted_by_its_status()
    {
        await using var server = await WirehubProcess.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, server.HttpUri("/echo"));
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13"); // no Sec-WebSocket-Key: 400
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.SendAsync(request)).StatusCode);
        Assert.Equal(1, (await ScrapeAsync(server)).Value("wirehub_websockets_handshake_failures", "reason=\"400\""));
    }

    [Fact]
    public async Task Realtime_sessions_channels_subscribers_and_broker_latency_are_exported()
    {
        await using var server = await WirehubProcess.StartAsync();
        await using var client = await RealtimeClient.ConnectAsync(server.WebSocketUri("/connection"));
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:ops\"}", "subscribed");
        await client.RequestAsync("{\"type\":\"publish\",\"id\":3,\"channel\":\"room:ops\",\"data\":{\"n\":1}}", "ack");

        var metrics = await ScrapeAsync(server);
        Assert.Equal(1, metrics.Value("wirehub_realtime_sessions"));
        Assert.Equal(1, metrics.Value("wirehub_realtime_channels"));
        Assert.Equal(1, metrics.Value("wirehub_realtime_subscribers"));
        Assert.Equal(1, metrics.Value("wirehub_realtime_broker_duration_count", "operation=\"publish\""));
        Assert.Contains("wirehub_realtime_broker_duration_bucket", metrics.SampleNames);
    }

    [Fact]
    public async Task Upgrade_refused_at_the_connection_limit_is_counted_as_shed()
    {
        await using var server = await WirehubProcess.StartAsync(["--max-connections", "1"]);
        await using var first = await RealtimeClient.ConnectAsync(server.WebSocketUri("/connection"));
        var refused = await Assert.ThrowsAsync<Wirehub.Protocol.WebSocketHandshakeException>(
            () => RealtimeClient.ConnectAsync(server.WebSocketUri("/connection")));
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal(1, (await ScrapeAsync(server)).Value("wirehub_realtime_shed", "reason=\"connection_limit\""));
    }
}
