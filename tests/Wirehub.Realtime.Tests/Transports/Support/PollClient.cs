using System.Net;
using System.Text;
using System.Text.Json;

namespace Wirehub.Realtime.Tests.Transports.Support;

/// <summary>A long-polling client: frames come from <c>GET /connection/poll/ID</c>, go up in POSTs to the same URL.</summary>
internal sealed class PollClient : FrameClient
{
    private readonly HttpClient _http;
    private readonly Queue<JsonElement> _frames = new();

    private PollClient(HttpClient http, string sessionId)
    {
        _http = http;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    public string Path => $"/connection/poll/{SessionId}";

    public static async Task<PollClient> OpenAsync(int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsync("/connection/poll", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = Parse(await response.Content.ReadAsStringAsync());
        return new PollClient(http, body.GetProperty("session").GetString()!);
    }

    /// <summary>One poll: its frames and, when the session has closed, its close.</summary>
    public async Task<(List<JsonElement> Frames, (ushort Code, string Reason)? Close)> PollAsync()
    {
        using var response = await _http.GetAsync(Path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Poll answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = Parse(await response.Content.ReadAsStringAsync());
        var frames = body.GetProperty("frames").EnumerateArray().ToList();
        (ushort, string)? close = body.TryGetProperty("close", out var c)
            ? ((ushort)c.GetProperty("code").GetInt32(), c.GetProperty("reason").GetString()!)
            : null;
        return (frames, close);
    }

    public Task<HttpResponseMessage> GetAsync() => _http.GetAsync(Path);

    public override async Task<JsonElement?> ReceiveAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (_frames.Count == 0)
        {
            if (Close is not null) return null;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No frame came within the test's patience.");
            var (frames, close) = await PollAsync();
            foreach (var frame in frames) _frames.Enqueue(frame);
            if (close is not null) Close = close;
        }
        return _frames.Dequeue();
    }

    public override async Task SendAsync(params string[] frames)
    {
        using var response = await PostAsync(string.Join("\n", frames));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public Task<HttpResponseMessage> PostAsync(string body) =>
        _http.PostAsync(Path, new StringContent(body, Encoding.UTF8, "text/plain"));

    public Task<HttpResponseMessage> DeleteAsync() => _http.DeleteAsync(Path);

    /// <summary>The client vanishes: it polls no more.</summary>
    public override ValueTask AbortAsync() => DisposeAsync();

    public override ValueTask DisposeAsync()
    {
        _http.Dispose();
        return default;
    }
}
