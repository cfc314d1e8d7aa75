using System.Net;
using System.Text;
using System.Text.Json;

namespace Wirehub.Realtime.Tests.Transports.Support;

/// <summary>
/// A Server-Sent Events client as a browser's EventSource parses the stream (HTML Living Standard, "Server-sent events"),
/// posting its frames to <c>/connection/sse/ID</c>.
/// </summary>
internal sealed class SseClient : FrameClient
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    public string SessionId { get; private set; } = "";

    /// <summary>The response of the stream's GET (status and headers).</summary>
    public HttpResponseMessage Response => _response;

    /// <summary>Comment lines seen so far (<c>: keep-alive</c>).</summary>
    public List<string> Comments { get; } = [];

    public static async Task<SseClient> OpenAsync(int port, string? origin = null)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Get, "/connection/sse");
        if (origin is not null) request.Headers.Add("Origin", origin);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var client = new SseClient(http, response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
        var open = await client.ReadEventAsync() ?? throw new Xunit.Sdk.XunitException("The stream ended before its open event.");
        Assert.Equal("open", open.Type);
        client.SessionId = Parse(open.Data).GetProperty("session").GetString()!;
        return client;
    }

    /// <summary>The next raw line of the stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    /// <summary>The next event (its type, and its data lines joined with \n); null at the end of the stream.</summary>
    public async Task<(string Type, string Data)?> ReadEventAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        string type = "message";
        StringBuilder? data = null;
        while (true)
        {
            string? line = await _reader.ReadLineAsync(timeout.Token);
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (data is not null) return (type, data.ToString());
                type = "message";
                continue;
            }
            if (line[0] == ':')
            {
                Comments.Add(line);
                continue;
            }
            int colon = line.IndexOf(':');
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            if (field == "event") type = value;
            else if (field == "data") data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
        }
    }

    public override async Task<JsonElement?> ReceiveAsync()
    {
        if (Close is not null) return null;
        var next = await ReadEventAsync();
        if (next is not { } e)
        {
            Close = (1006, "The stream ended without a close event.");
            return null;
        }
        if (e.Type == "close")
        {
            var close = Parse(e.Data);
            Close = ((ushort)close.GetProperty("code").GetInt32(), close.GetProperty("reason").GetString()!);
            return null;
        }
        Assert.Equal("message", e.Type);
        return Parse(e.Data);
    }

    public override async Task SendAsync(params string[] frames)
    {
        using var response = await PostAsync(string.Join("\n", frames));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public Task<HttpResponseMessage> PostAsync(string body) =>
        _http.PostAsync($"/connection/sse/{SessionId}", new StringContent(body, Encoding.UTF8, "text/plain"));

    public Task<HttpResponseMessage> DeleteAsync() => _http.DeleteAsync($"/connection/sse/{SessionId}");

    public override ValueTask AbortAsync() => DisposeAsync();

    public override ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return default;
    }
}
