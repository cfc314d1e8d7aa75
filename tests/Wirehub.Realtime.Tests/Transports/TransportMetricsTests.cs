using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wirehub.Protocol;
using Wirehub.Realtime.Diagnostics;
using Wirehub.Realtime.Tests.Server.Support;
using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

/// <summary>
/// The transports' metrics on the <c>Wirehub.Realtime</c> meter: sessions open, opened and closed by transport and
/// close code, fallback requests refused by reason, and the frames and bytes the fallbacks carry.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class TransportMetricsTests
{
    private const string Open = "transport.sessions.open";
    private const string Opened = "transport.sessions.opened";
    private const string Closed = "transport.sessions.closed";
    private const string Refused = "fallback.requests.refused";

    private static string TagOf(TransportKind kind) => kind switch
    {
        TransportKind.WebSocket => "transport=websocket",
        TransportKind.Sse => "transport=sse",
        _ => "transport=longpolling",
    };

    private static Task<bool> Eventually(Func<bool> condition) => FallbackServer.EventuallyAsync(condition);

    [Theory]
    [InlineData(TransportKind.WebSocket)]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Open_session_is_counted_open_and_opened_under_its_transport(TransportKind kind)
    {
        using var metrics = new TaggedMetrics();
        // A poll session ends when nobody polls it for the session timeout.
        await using var server = await FallbackServer.StartAsync(fallback: f => f.SessionTimeout = TimeSpan.FromMilliseconds(500));
        long open = metrics.Read(Open, TagOf(kind)), opened = metrics.Read(Opened, TagOf(kind));
        var others = Enum.GetValues<TransportKind>().Where(k => k != kind).ToDictionary(k => k, k => metrics.Read(Opened, TagOf(k)));

        var (client, _) = await server.ConnectAsync(kind);
        Assert.Equal(open + 1, metrics.Read(Open, TagOf(kind)));
        Assert.Equal(opened + 1, metrics.Read(Opened, TagOf(kind)));
        foreach (var (other, before) in others) Assert.Equal(before, metrics.Read(Opened, TagOf(other)));

        await client.AbortAsync();
        Assert.True(await Eventually(() => metrics.Read(Open, TagOf(kind)) == open), "The session is still counted open after it ended.");
        Assert.Equal(opened + 1, metrics.Read(Opened, TagOf(kind)));
    }

    [Fact]
    public async Task Every_transport_reports_its_open_sessions_before_any_opens()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        var open = metrics.Snapshot(Open);
        Assert.Equal(["transport.sessions.open{transport=longpolling}", "transport.sessions.open{transport=sse}", "transport.sessions.open{transport=websocket}"],
            open.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Event_stream_closed_by_the_client_is_counted_under_sse_and_1000()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long before = metrics.Read(Closed, "transport=sse", "code=1000");
        var (client, _) = await server.ConnectAsync(TransportKind.Sse);
        await using var _c = client;
        using (var deleted = await ((SseClient)client).DeleteAsync()) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(await Eventually(() => metrics.Read(Closed, "transport=sse", "code=1000") == before + 1), "The close is not counted.");
    }

    [Fact]
    public async Task Poll_session_closed_by_the_client_is_counted_under_longpolling_and_1000()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long before = metrics.Read(Closed, "transport=longpolling", "code=1000");
        var (client, _) = await server.ConnectAsync(TransportKind.Poll);
        await using var _c = client;
        using (var deleted = await ((PollClient)client).DeleteAsync()) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(await Eventually(() => metrics.Read(Closed, "transport=longpolling", "code=1000") == before + 1), "The close is not counted.");
    }

    [Fact]
    public async Task WebSocket_session_closed_by_the_client_is_counted_under_websocket_and_its_code()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long before = metrics.Read(Closed, "transport=websocket", "code=4000");
        await using var client = await WireClient.OpenAsync(server.WebSocketUri);
        await client.RequestAsync("{\"type\":\"connect\",\"id\":1}", "connected");
        await client.Socket.CloseAsync(4000, "done");
        Assert.True(await Eventually(() => metrics.Read(Closed, "transport=websocket", "code=4000") == before + 1), "The close is not counted.");
    }

    [Theory]
    [InlineData(TransportKind.WebSocket)]
    [InlineData(TransportKind.Sse)]
    public async Task Dropped_connection_is_counted_as_1006(TransportKind kind)
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long before = metrics.Read(Closed, TagOf(kind), "code=1006");
        var (client, _) = await server.ConnectAsync(kind);
        await client.AbortAsync();
        Assert.True(await Eventually(() => metrics.Read(Closed, TagOf(kind), "code=1006") == before + 1), "The drop is not counted as 1006.");
    }

    [Fact]
    public async Task Poll_session_that_stops_polling_is_counted_as_1006()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync(fallback: f => f.SessionTimeout = TimeSpan.FromMilliseconds(200));
        long before = metrics.Read(Closed, "transport=longpolling", "code=1006");
        await using var client = await PollClient.OpenAsync(server.Port);
        Assert.True(await Eventually(() => metrics.Read(Closed, "transport=longpolling", "code=1006") == before + 1), "The expiry is not counted as 1006.");
    }

    [Fact]
    public async Task Session_closed_by_the_server_is_counted_under_the_code_it_was_told()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        long before = metrics.Read(Closed, "transport=sse", "code=4001");
        await using var client = await SseClient.OpenAsync(server.Port);
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
        Assert.True(await Eventually(() => metrics.Read(Closed, "transport=sse", "code=4001") == before + 1), "The close is not counted under 4001.");
    }

    // ---- Refused requests ----

    [Fact]
    public async Task Request_for_an_unknown_session_is_counted_as_unknown_session()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long before = metrics.Read(Refused, "reason=unknown_session");
        using var response = await server.Http.PostAsync("/connection/poll/AAAAAAAAAAAAAAAAAAAAAA", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before + 1, metrics.Read(Refused, "reason=unknown_session"));
    }

    [Fact]
    public async Task Second_concurrent_poll_is_counted_as_concurrent_poll()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync(fallback: f => f.PollTimeout = TimeSpan.FromMinutes(5));
        long before = metrics.Read(Refused, "reason=concurrent_poll");
        await using var client = await PollClient.OpenAsync(server.Port);
        var first = client.PollAsync();
        var transport = server.Sessions.Find<Wirehub.Realtime.Server.Transports.PollTransport>(client.SessionId)!;
        Assert.True(await Eventually(() => transport.IsPolling));
        using (var second = await client.GetAsync()) Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(before + 1, metrics.Read(Refused, "reason=concurrent_poll"));
        await client.DeleteAsync();
        await first;
    }

    [Fact]
    public async Task Oversized_post_is_counted_as_too_large()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync(o => o.MaxMessageSize = 1024);
        long before = metrics.Read(Refused, "reason=too_large");
        await using var client = await SseClient.OpenAsync(server.Port);
        using var response = await client.PostAsync(new string('x', 1024 + 16 * 1024 + 1));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before + 1, metrics.Read(Refused, "reason=too_large"));
    }

    [Fact]
    public async Task Post_that_is_not_utf8_is_counted_as_invalid_utf8()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long before = metrics.Read(Refused, "reason=invalid_utf8");
        await using var client = await PollClient.OpenAsync(server.Port);
        var body = new ByteArrayContent([0x7B, 0xFF, 0x7D]);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await server.Http.PostAsync(client.Path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before + 1, metrics.Read(Refused, "reason=invalid_utf8"));
    }

    [Fact]
    public async Task Request_from_a_disallowed_origin_is_counted_as_origin()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync(o => o.AllowedOrigins.Add("https://app.example"));
        long before = metrics.Read(Refused, "reason=origin");
        var request = new HttpRequestMessage(HttpMethod.Post, "/connection/poll");
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before + 1, metrics.Read(Refused, "reason=origin"));
    }

    // ---- Traffic ----

    [Fact]
    public async Task Poll_answers_are_counted_in_frames_and_in_their_exact_bytes()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long messages = metrics.Read("fallback.messages.sent", "transport=longpolling");
        long bytes = metrics.Read("fallback.bytes.sent", "transport=longpolling");
        long sseMessages = metrics.Read("fallback.messages.sent", "transport=sse");
        await using var client = await PollClient.OpenAsync(server.Port);
        await client.SendAsync("{\"type\":\"connect\",\"id\":1}", "{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:counted\"}");

        int frames = 0;
        long bodies = 0;
        while (frames < 2)
        {
            using var response = await client.GetAsync();
            var body = await response.Content.ReadAsByteArrayAsync();
            bodies += body.Length;
            using var answer = System.Text.Json.JsonDocument.Parse(body);
            frames += answer.RootElement.GetProperty("frames").GetArrayLength();
        }
        Assert.Equal(2, frames);
        Assert.Equal(messages + 2, metrics.Read("fallback.messages.sent", "transport=longpolling"));
        Assert.Equal(bytes + bodies, metrics.Read("fallback.bytes.sent", "transport=longpolling"));
        Assert.Equal(sseMessages, metrics.Read("fallback.messages.sent", "transport=sse"));
    }

    [Fact]
    public async Task Event_stream_is_counted_in_frames_and_in_its_exact_bytes()
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        long messages = metrics.Read("fallback.messages.sent", "transport=sse");
        long bytes = metrics.Read("fallback.bytes.sent", "transport=sse");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
        using var response = await http.GetAsync("/connection/sse", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();

        string open = await ReadEventsAsync(stream, received, 1);
        string session = System.Text.Json.JsonDocument.Parse(open["event: open\ndata: ".Length..].Trim()).RootElement.GetProperty("session").GetString()!;
        using (var posted = await http.PostAsync($"/connection/sse/{session}", new StringContent("{\"type\":\"connect\",\"id\":1}")))
            Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        await ReadEventsAsync(stream, received, 2);
        using (var deleted = await http.DeleteAsync($"/connection/sse/{session}")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await stream.CopyToAsync(received);

        // Open event, the connected frame, the close event: one frame, and every byte of the stream.
        Assert.EndsWith("event: close\ndata: {\"code\":1000,\"reason\":\"Closed by the client.\"}\n\n", Encoding.UTF8.GetString(received.ToArray()));
        Assert.Equal(messages + 1, metrics.Read("fallback.messages.sent", "transport=sse"));
        Assert.Equal(bytes + received.Length, metrics.Read("fallback.bytes.sent", "transport=sse"));
    }

    /// <summary>Reads the stream into <paramref name="received"/> until it holds <paramref name="events"/> events; returns the text.</summary>
    private static async Task<string> ReadEventsAsync(Stream stream, MemoryStream received, int events)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[1];
        while (true)
        {
            string text = Encoding.UTF8.GetString(received.ToArray());
            if (text.Split("\n\n").Length - 1 >= events) return text;
            // A byte at a time: nothing past the awaited event is read, so the rest of the stream is counted once.
            int read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "The stream ended early.");
            received.Write(buffer, 0, read);
        }
    }

    [Theory]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Posted_frames_are_counted_received_with_the_bytes_of_their_body(TransportKind kind)
    {
        using var metrics = new TaggedMetrics();
        await using var server = await FallbackServer.StartAsync();
        var (client, _) = await server.ConnectAsync(kind);
        await using var _c = client;
        long messages = metrics.Read("fallback.messages.received", TagOf(kind));
        long bytes = metrics.Read("fallback.bytes.received", TagOf(kind));
        string[] frames = ["{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:in\"}", "{\"type\":\"unsubscribe\",\"id\":3,\"channel\":\"room:in\"}"];

        await client.SendAsync(frames);
        Assert.Equal(messages + 2, metrics.Read("fallback.messages.received", TagOf(kind)));
        Assert.Equal(bytes + Encoding.UTF8.GetByteCount(string.Join("\n", frames)), metrics.Read("fallback.bytes.received", TagOf(kind)));
    }

    [Fact]
    public void Counting_fallback_traffic_and_session_ends_allocates_nothing()
    {
        FallbackTraffic.Sent(TransportType.ServerSentEvents, 1, 10);
        FallbackTraffic.MessageReceived(TransportType.LongPolling);
        FallbackTraffic.BodyReceived(TransportType.LongPolling, 10);
        TransportMetrics.SessionOpened(TransportType.ServerSentEvents);
        TransportMetrics.SessionClosed(TransportType.ServerSentEvents, CloseStatus.NormalClosure);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            FallbackTraffic.Sent(TransportType.ServerSentEvents, 1, 10);
            FallbackTraffic.Sent(TransportType.LongPolling, 3, 30);
            FallbackTraffic.MessageReceived(TransportType.LongPolling);
            FallbackTraffic.BodyReceived(TransportType.LongPolling, 10);
            TransportMetrics.SessionOpened(TransportType.ServerSentEvents);
            TransportMetrics.SessionClosed(TransportType.ServerSentEvents, CloseStatus.NormalClosure);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
