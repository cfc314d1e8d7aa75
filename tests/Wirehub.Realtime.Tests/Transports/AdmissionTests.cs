using System.Net;
using Wirehub.Realtime.Tests.Transports.Support;
using Wirehub.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Transports;

public sealed class AdmissionTests
{
    [Fact]
    public async Task Open_fallback_session_counts_against_max_connections()
    {
        await using var server = await FallbackServer.StartAsync(o => o.MaxConnections = 1);
        await using var poll = await PollClient.OpenAsync(server.Port);
        var socket = new WebSocketClient(server.WebSocketUri.ToString(), "wirehub.v1");
        var refused = await Assert.ThrowsAsync<WebSocketHandshakeException>(() => socket.ConnectAsync());
        Assert.Equal(503, refused.StatusCode);
        using var sse = await server.Http.GetAsync("/connection/sse", HttpCompletionOption.ResponseHeadersRead);
        using var secondPoll = await server.Http.PostAsync("/connection/poll", null);
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], [sse.StatusCode, secondPoll.StatusCode]);
        Assert.NotNull(secondPoll.Headers.RetryAfter);
    }

    [Fact]
    public async Task Slot_is_released_when_the_fallback_session_ends()
    {
        await using var server = await FallbackServer.StartAsync(o => o.MaxConnections = 1);
        await using (var sse = await SseClient.OpenAsync(server.Port))
        {
            using var deleted = await sse.DeleteAsync();
            Assert.Equal((ushort)1000, await sse.ExpectCloseAsync());
        }
        Assert.True(await FallbackServer.EventuallyAsync(() => server.Hub.Admission.Open == 0));
        await using var poll = await PollClient.OpenAsync(server.Port);
    }

    [Fact]
    public async Task Origin_not_in_the_allowlist_is_refused_403()
    {
        await using var server = await FallbackServer.StartAsync(o => o.AllowedOrigins.Add("https://app.example"));
        var sse = new HttpRequestMessage(HttpMethod.Get, "/connection/sse");
        sse.Headers.Add("Origin", "https://evil.example");
        var poll = new HttpRequestMessage(HttpMethod.Post, "/connection/poll");
        poll.Headers.Add("Origin", "https://evil.example");
        using var sseResponse = await server.Http.SendAsync(sse, HttpCompletionOption.ResponseHeadersRead);
        using var pollResponse = await server.Http.SendAsync(poll);
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], [sseResponse.StatusCode, pollResponse.StatusCode]);
        Assert.Equal(0, server.Hub.Admission.Open);
        await using var allowed = await SseClient.OpenAsync(server.Port, "https://app.example");
    }

    [Fact]
    public async Task Post_from_an_origin_not_in_the_allowlist_is_refused_403()
    {
        await using var server = await FallbackServer.StartAsync(o => o.AllowedOrigins.Add("https://app.example"));
        await using var client = await PollClient.OpenAsync(server.Port);
        var post = new HttpRequestMessage(HttpMethod.Post, client.Path) { Content = new StringContent("{\"type\":\"ping\"}") };
        post.Headers.Add("Origin", "https://evil.example");
        using var response = await server.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
