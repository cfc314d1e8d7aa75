using System.Net;
using System.Text.Json;
using Wirehub.Realtime.Server.Transports;
using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class LongPollingTests
{
    private static long Serial(JsonElement e) => e.GetProperty("serial").GetInt64();

    [Fact]
    public async Task Open_answers_the_session_id_as_json()
    {
        await using var server = await FallbackServer.StartAsync();
        using var response = await server.Http.PostAsync("/connection/poll", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoStore);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(TransportSessionId.Length, body.RootElement.GetProperty("session").GetString()!.Length);
        Assert.Equal(1, server.Sessions.Count);
    }

    [Fact]
    public async Task Poll_with_nothing_pending_answers_no_frames_after_the_poll_timeout()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.PollTimeout = TimeSpan.FromMilliseconds(100));
        await using var client = await PollClient.OpenAsync(server.Port);
        var (frames, close) = await client.PollAsync();
        Assert.Empty(frames);
        Assert.Null(close);
    }

    [Fact]
    public async Task Waiting_poll_answers_as_soon_as_a_frame_is_queued()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.PollTimeout = TimeSpan.FromMinutes(5));
        await using var client = await PollClient.OpenAsync(server.Port);
        var polling = client.PollAsync();
        await client.SendAsync("{\"type\":\"ping\"}");
        var (frames, _) = await polling;
        Assert.Equal("pong", Assert.Single(frames).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Second_concurrent_poll_is_answered_409()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.PollTimeout = TimeSpan.FromMinutes(5));
        await using var client = await PollClient.OpenAsync(server.Port);
        var first = client.PollAsync();
        var transport = server.Sessions.Find<PollTransport>(client.SessionId)!;
        Assert.True(await FallbackServer.EventuallyAsync(() => transport.IsPolling));
        using var second = await client.GetAsync();
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        await client.SendAsync("{\"type\":\"ping\"}");
        Assert.Equal("pong", Assert.Single((await first).Frames).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Close_is_delivered_with_the_last_frames_then_the_session_is_gone()
    {
        await using var server = await FallbackServer.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await PollClient.OpenAsync(server.Port);
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
        using var after = await client.GetAsync();
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(0, server.Sessions.Count);
    }

    [Fact]
    public async Task Delete_ends_the_session_and_later_requests_get_404()
    {
        await using var server = await FallbackServer.StartAsync();
        var (client, _) = await server.ConnectAsync(TransportKind.Poll);
        await using var _c = client;
        var poll = (PollClient)client;
        using (var deleted = await poll.DeleteAsync()) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var get = await poll.GetAsync()) Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using (var post = await poll.PostAsync("{\"type\":\"ping\"}")) Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(0, server.Hub.Admission.Open);
    }

    [Fact]
    public async Task Delete_during_a_poll_answers_that_poll_with_close_1000()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.PollTimeout = TimeSpan.FromMinutes(5));
        var (client, _) = await server.ConnectAsync(TransportKind.Poll);
        await using var _c = client;
        var poll = (PollClient)client;
        var polling = poll.PollAsync();
        var transport = server.Sessions.Find<PollTransport>(poll.SessionId)!;
        Assert.True(await FallbackServer.EventuallyAsync(() => transport.IsPolling));
        using (var deleted = await poll.DeleteAsync()) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var (_, close) = await polling;
        Assert.Equal((ushort)1000, close!.Value.Code);
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Count == 0));
    }

    [Fact]
    public async Task Session_without_a_poll_for_the_session_timeout_is_removed()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.SessionTimeout = TimeSpan.FromMilliseconds(200));
        var clients = new List<PollClient>();
        for (int i = 0; i < 3; i++) clients.Add(await PollClient.OpenAsync(server.Port));
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Count == 0 && server.Hub.Admission.Open == 0));
        foreach (var client in clients)
        {
            using var response = await client.GetAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Session_that_timed_out_recovers_the_missed_messages_once_each_on_a_new_session()
    {
        await using var server = await FallbackServer.StartAsync(fallback: f => f.SessionTimeout = TimeSpan.FromSeconds(2));
        var (client, connected) = await server.ConnectAsync(TransportKind.Poll);
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:r\"}", "subscribed");
        var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _p = publisher;
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:r\",\"data\":1}", "ack");
        var first = await client.ExpectAsync("message");
        await client.AbortAsync();
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Sessions.Count == 0));
        for (int i = 2; i <= 3; i++) await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i + 1},\"channel\":\"room:r\",\"data\":{i}}}", "ack");

        var (again, recovered) = await server.ConnectAsync(TransportKind.Poll, Recovery.Connect(connected, "room:r", first));
        await using var _a = again;
        Assert.True(recovered.GetProperty("recovered").GetBoolean());
        Assert.True(recovered.GetProperty("subscriptions")[0].GetProperty("recovered").GetBoolean());
        Assert.Equal(2, Serial(await again.ExpectAsync("message")));
        Assert.Equal(3, Serial(await again.ExpectAsync("message")));
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":9,\"channel\":\"room:r\",\"data\":4}", "ack");
        Assert.Equal(4, Serial(await again.ExpectAsync("message")));
    }

    [Fact]
    public async Task Frames_beyond_the_send_queue_limit_between_polls_close_the_session_with_1008()
    {
        await using var server = await FallbackServer.StartAsync(o => o.SendQueueLimit = 64 * 1024);
        var (slow, _) = await server.ConnectAsync(TransportKind.Poll);
        await using var _s = slow;
        await slow.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:flood\"}", "subscribed");
        var (publisher, _) = await server.ConnectAsync(TransportKind.WebSocket);
        await using var _p = publisher;
        string data = new('x', 30_000);
        for (int i = 1; i <= 3; i++)
            await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i + 1},\"channel\":\"room:flood\",\"data\":\"{data}\"}}", "ack");
        var (frames, close) = await ((PollClient)slow).PollAsync();
        // The backlog is dropped, as a WebSocket's is: the client recovers the messages after reconnecting.
        Assert.Empty(frames);
        Assert.Equal((ushort)1008, close!.Value.Code);
    }

    [Fact]
    public async Task Requests_for_an_unknown_session_are_answered_404()
    {
        await using var server = await FallbackServer.StartAsync();
        string unknown = TransportSessionId.New();
        using var get = await server.Http.GetAsync($"/connection/poll/{unknown}");
        using var post = await server.Http.PostAsync($"/connection/poll/{unknown}", new StringContent("{\"type\":\"ping\"}"));
        using var delete = await server.Http.DeleteAsync($"/connection/poll/{unknown}");
        using var ssePost = await server.Http.PostAsync($"/connection/sse/{unknown}", new StringContent("{\"type\":\"ping\"}"));
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            [get.StatusCode, post.StatusCode, delete.StatusCode, ssePost.StatusCode]);
        Assert.Contains("No such session", await get.Content.ReadAsStringAsync());
        Assert.True(get.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Session_of_one_transport_is_unknown_to_the_other()
    {
        await using var server = await FallbackServer.StartAsync();
        await using var poll = await PollClient.OpenAsync(server.Port);
        using var response = await server.Http.PostAsync($"/connection/sse/{poll.SessionId}", new StringContent("{\"type\":\"ping\"}"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_larger_than_the_frame_limit_is_answered_413()
    {
        await using var server = await FallbackServer.StartAsync(o => o.MaxMessageSize = 1024);
        await using var client = await PollClient.OpenAsync(server.Port);
        using var response = await client.PostAsync(new string(' ', 1024 + 16 * 1024 + 1));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }
}
