using System.Net;
using System.Text;
using System.Text.Json;
using Wirehub.Realtime.Server.Transports;
using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class ServerSentEventsTests
{
    private static long Serial(JsonElement e) => e.GetProperty("serial").GetInt64();

    [Fact]
    public async Task Stream_is_an_uncached_event_stream_opening_with_its_session_id()
    {
        await using var server = await FallbackServer.StartAsync();
        await using var client = await SseClient.OpenAsync(server.Port);
        Assert.Equal("text/event-stream", client.Response.Content.Headers.ContentType!.MediaType);
        Assert.True(client.Response.Headers.CacheControl!.NoStore);
        Assert.Equal(TransportSessionId.Length, client.SessionId.Length);
        Assert.Equal(1, server.Sessions.Count);
    }

    [Fact]
    public async Task Quiet_stream_carries_keep_alive_comments()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.KeepAliveInterval = TimeSpan.FromMilliseconds(100));
        await using var client = await SseClient.OpenAsync(server.Port);
        // Nothing else is sent on a quiet stream: its next line is the comment.
        Assert.Equal(": keep-alive", await client.ReadLineAsync());
        Assert.Equal("", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Server_close_is_an_event_and_ends_the_stream()
    {
        await using var server = await FallbackServer.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await SseClient.OpenAsync(server.Port);
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
        Assert.Contains("connect", client.Close!.Value.Reason);
        Assert.Null(await client.ReadEventAsync());
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Count == 0));
    }

    [Fact]
    public async Task Post_to_a_closed_session_is_answered_404()
    {
        await using var server = await FallbackServer.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await SseClient.OpenAsync(server.Port);
        await client.ExpectCloseAsync();
        using var response = await client.PostAsync("{\"type\":\"connect\",\"id\":1}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Delete_closes_with_1000_and_ends_the_stream()
    {
        await using var server = await FallbackServer.StartAsync();
        var (client, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _c = client;
        var sse = (SseClient)client;
        using var response = await sse.DeleteAsync();
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal((ushort)1000, await client.ExpectCloseAsync());
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Count == 0));
    }

    [Fact]
    public async Task Frame_whose_data_holds_line_breaks_arrives_as_the_same_json()
    {
        await using var server = await FallbackServer.StartAsync();
        var (subscriber, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _s = subscriber;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:lines\"}", "subscribed");
        var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _p = publisher;
        // JSON allows CR and LF as whitespace; the data is stored and pushed exactly as published.
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:lines\",\"data\":{\"a\":\r\n1,\r\"b\":\n2}}", "ack");
        var message = await subscriber.ExpectAsync("message");
        Assert.Equal(1, message.GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal(2, message.GetProperty("data").GetProperty("b").GetInt32());
    }

    [Fact]
    public async Task Dropped_stream_recovers_the_missed_messages_once_each_on_a_new_stream()
    {
        await using var server = await FallbackServer.StartAsync();
        var (client, connected) = await server.ConnectAsync(TransportKind.Sse);
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:r\"}", "subscribed");
        var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _p = publisher;
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:r\",\"data\":1}", "ack");
        var first = await client.ExpectAsync("message");
        await client.AbortAsync();
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Count == 0));
        for (int i = 2; i <= 3; i++) await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i + 1},\"channel\":\"room:r\",\"data\":{i}}}", "ack");

        var (again, recovered) = await server.ConnectAsync(TransportKind.Sse, Recovery.Connect(connected, "room:r", first));
        await using var _a = again;
        Assert.True(recovered.GetProperty("recovered").GetBoolean());
        Assert.True(recovered.GetProperty("subscriptions")[0].GetProperty("recovered").GetBoolean());
        Assert.Equal(2, Serial(await again.ExpectAsync("message")));
        Assert.Equal(3, Serial(await again.ExpectAsync("message")));
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":9,\"channel\":\"room:r\",\"data\":4}", "ack");
        Assert.Equal(4, Serial(await again.ExpectAsync("message")));
    }

    [Fact]
    public async Task Subscriber_that_stops_reading_is_closed_with_1008()
    {
        await using var server = await FallbackServer.StartAsync(o =>
        {
            o.SendQueueLimit = 64 * 1024;
            o.PublishRate = 100_000;
            o.RequestRate = 100_000;
        });
        var (slow, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _s = slow;
        await slow.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:flood\"}", "subscribed");
        var transport = server.Sessions.Find<SseTransport>(((SseClient)slow).SessionId)!;
        var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _p = publisher;
        string publish = "{\"type\":\"publish\",\"id\":1,\"channel\":\"room:flood\",\"data\":\"" + new string('x', 60_000) + "\"}";
        // The subscriber reads nothing while the publisher floods: socket buffers fill, then the session's queue.
        for (int i = 0; i < 2000 && transport.Close is null; i++) await publisher.RequestAsync(publish, "ack");
        Assert.Equal((ushort)1008, await slow.ExpectCloseAsync());
    }

    [Fact]
    public async Task Subscriber_that_keeps_reading_gets_a_burst_larger_than_the_send_queue_limit()
    {
        await using var server = await FallbackServer.StartAsync(o => o.SendQueueLimit = 64 * 1024);
        var (subscriber, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _s = subscriber;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:burst\"}", "subscribed");
        var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _p = publisher;
        string data = new('x', 20_000);
        // 400 KB in all: the bound is on what waits behind a write in flight, not on what a reading client gets.
        for (int i = 1; i <= 20; i++)
            await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i + 1},\"channel\":\"room:burst\",\"data\":\"{data}\"}}", "ack");
        var messages = await subscriber.CollectAsync("message", 20);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), messages.Select(Serial));
        Assert.Null(subscriber.Close);
    }

    [Fact]
    public async Task Post_larger_than_the_frame_limit_is_answered_413()
    {
        await using var server = await FallbackServer.StartAsync(o => o.MaxMessageSize = 1024);
        await using var client = await SseClient.OpenAsync(server.Port);
        using var response = await client.PostAsync("{\"type\":\"ping\"}\n" + new string(' ', 1024 + 16 * 1024));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Post_that_is_not_utf8_is_answered_400()
    {
        await using var server = await FallbackServer.StartAsync();
        await using var client = await SseClient.OpenAsync(server.Port);
        using var http = new HttpClient();
        var body = new ByteArrayContent([(byte)'{', 0xC3, 0x28, (byte)'}']);
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{server.Port}/connection/sse/{client.SessionId}"), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Dropped_streams_leave_no_session_behind()
    {
        await using var server = await FallbackServer.StartAsync();
        var clients = new List<SseClient>();
        for (int i = 0; i < 3; i++) clients.Add(await SseClient.OpenAsync(server.Port));
        Assert.Equal(3, server.Sessions.Count);
        foreach (var client in clients) await client.AbortAsync();
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Count == 0 && server.Hub.Admission.Open == 0));
    }
}
