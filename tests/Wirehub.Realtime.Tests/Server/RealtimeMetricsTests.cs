using System.Net;
using System.Net.Http;
using Wirehub.Protocol;
using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Server;

/// <summary>
/// The realtime metrics (meter <c>Wirehub.Realtime</c>): sessions, channels and subscribers follow subscriptions, shed
/// load is counted by reason, and the broker's publish and history calls are timed.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class RealtimeMetricsTests
{
    [Fact]
    public async Task Sessions_channels_and_subscribers_follow_subscriptions()
    {
        using var metrics = new MetricsRecorder();
        await using var server = await RealtimeServer.StartAsync();
        long sessions = metrics.Read("sessions"), channels = metrics.Read("channels"), subscribers = metrics.Read("subscribers");

        var (first, _) = await server.ConnectAsync();
        await using var a = first;
        var (second, _) = await server.ConnectAsync();
        await using var b = second;
        Assert.Equal(sessions + 2, metrics.Read("sessions"));
        await first.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:gauges\"}", "subscribed");
        await second.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:gauges\"}", "subscribed");
        await second.RequestAsync("{\"type\":\"subscribe\",\"id\":3,\"channel\":\"room:other\"}", "subscribed");
        Assert.Equal(channels + 2, metrics.Read("channels"));
        Assert.Equal(subscribers + 3, metrics.Read("subscribers"));

        await second.RequestAsync("{\"type\":\"unsubscribe\",\"id\":4,\"channel\":\"room:other\"}", "unsubscribed");
        Assert.Equal(channels + 1, metrics.Read("channels"));
        Assert.Equal(subscribers + 2, metrics.Read("subscribers"));
    }

    [Fact]
    public async Task Upgrade_refused_at_the_connection_limit_is_counted_as_connection_limit_shed()
    {
        using var metrics = new MetricsRecorder();
        await using var server = await RealtimeServer.StartAsync(o => o.MaxConnections = 1);
        long before = metrics.Read("shed", "connection_limit");
        var (first, _) = await server.ConnectAsync();
        await using var owned = first;
        var refused = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => server.OpenAsync());
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal(before + 1, metrics.Read("shed", "connection_limit"));
    }

    [Fact]
    public async Task Upgrade_refused_beyond_the_connection_rate_is_counted_as_connection_rate_shed()
    {
        using var metrics = new MetricsRecorder();
        await using var server = await RealtimeServer.StartAsync(o => o.ConnectionRate = 1);
        long before = metrics.Read("shed", "connection_rate");
        await using var first = await server.OpenAsync();
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, server.HttpUri("/connection"));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Protocol", "wirehub.v1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.SendAsync(request)).StatusCode);
        Assert.Equal(before + 1, metrics.Read("shed", "connection_rate"));
    }

    [Fact]
    public async Task Connection_closed_with_1013_for_its_frame_rate_is_counted_as_request_rate_shed()
    {
        using var metrics = new MetricsRecorder();
        await using var server = await RealtimeServer.StartAsync(o => o.RequestRate = 5);
        long before = metrics.Read("shed", "request_rate");
        var (client, _) = await server.ConnectAsync();
        await using var owned = client;
        for (int i = 0; i < 20; i++) await client.SendAsync("{\"type\":\"ping\"}");
        while (await client.ReceiveAsync() is not null)
        {
        }
        Assert.Equal(CloseStatus.TryAgainLater, client.Socket.CloseStatus);
        Assert.Equal(before + 1, metrics.Read("shed", "request_rate"));
    }

    [Fact]
    public async Task Publish_and_history_record_the_broker_duration_by_operation()
    {
        using var metrics = new MetricsRecorder();
        await using var server = await RealtimeServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var owned = client;
        await client.RequestAsync("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:timed\",\"data\":1}", "ack");
        Assert.Equal(1, metrics.Recordings("broker.duration", "publish"));
        Assert.Equal(0, metrics.Recordings("broker.duration", "history"));
        await client.RequestAsync("{\"type\":\"history\",\"id\":3,\"channel\":\"room:timed\",\"limit\":10}", "history");
        Assert.Equal(1, metrics.Recordings("broker.duration", "history"));
    }
}
