using System.Net;
using System.Text.Json;

namespace Wirehub.Operations.Tests.Support;

/// <summary>
/// A <c>wirehub.v1</c> session over long polling: opened with <c>POST /connection/poll</c>, frames up with POST and down
/// with GET on <c>/connection/poll/ID</c>.
/// </summary>
internal sealed class PollSession : IDisposable
{
    private readonly HttpClient _http;

    private PollSession(HttpClient http, string id)
    {
        _http = http;
        Path = $"/connection/poll/{id}";
    }

    public string Path { get; }

    /// <summary>Opens the session and sends <c>connect</c>; returns once <c>connected</c> arrived.</summary>
    public static async Task<PollSession> ConnectAsync(Uri server)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        using var opened = await http.PostAsync("/connection/poll", null);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var session = new PollSession(http, JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("session").GetString()!);
        using var posted = await http.PostAsync(session.Path, new StringContent("{\"type\":\"connect\",\"id\":1}"));
        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        var deadline = DateTime.UtcNow + WirehubProcess.Patience;
        while (true)
        {
            var (frames, _) = await session.PollAsync();
            if (frames.Any(f => f.GetProperty("type").GetString() == "connected")) return session;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No connected frame came.");
        }
    }

    /// <summary>Polls, again and again, until an answer carries the close; returns its code.</summary>
    public async Task<int> CloseCodeAsync()
    {
        while (true)
        {
            var (_, close) = await PollAsync();
            if (close is { } code) return code;
        }
    }

    private async Task<(List<JsonElement> Frames, int? Close)> PollAsync()
    {
        using var response = await _http.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        int? close = body.TryGetProperty("close", out var c) ? c.GetProperty("code").GetInt32() : null;
        return (body.GetProperty("frames").EnumerateArray().ToList(), close);
    }

    public void Dispose() => _http.Dispose();
}
