using System.Net;
using System.Text;
using System.Text.Json;

namespace Wirehub.Operations.Tests.Support;

/// <summary>
/// A <c>wirehub.v1</c> session over Server-Sent Events: the event stream of <c>GET /connection/sse</c>, frames up with
/// <c>POST /connection/sse/ID</c>.
/// </summary>
internal sealed class SseSession : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseSession(HttpClient http, HttpResponseMessage response, StreamReader reader, string id)
    {
        _http = http;
        _response = response;
        _reader = reader;
        Id = id;
    }

    public string Id { get; }

    /// <summary>Opens the stream and sends <c>connect</c>; returns once <c>connected</c> arrived.</summary>
    public static async Task<SseSession> ConnectAsync(Uri server)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        var response = await http.GetAsync("/connection/sse", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        var open = await ReadEventAsync(reader) ?? throw new InvalidOperationException("The stream ended before its open event.");
        Assert.Equal("open", open.Type);
        var session = new SseSession(http, response, reader, JsonDocument.Parse(open.Data).RootElement.GetProperty("session").GetString()!);
        using var posted = await http.PostAsync($"/connection/sse/{session.Id}", new StringContent("{\"type\":\"connect\",\"id\":1}"));
        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        var connected = await ReadEventAsync(reader) ?? throw new InvalidOperationException("The stream ended before connected.");
        Assert.Equal("connected", JsonDocument.Parse(connected.Data).RootElement.GetProperty("type").GetString());
        return session;
    }

    /// <summary>Reads events until the <c>close</c> event; returns its code (null if the stream ended without one).</summary>
    public async Task<int?> CloseCodeAsync()
    {
        while (await ReadEventAsync(_reader) is { } e)
            if (e.Type == "close") return JsonDocument.Parse(e.Data).RootElement.GetProperty("code").GetInt32();
        return null;
    }

    private static async Task<(string Type, string Data)?> ReadEventAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(WirehubProcess.Patience);
        string type = "message";
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null) return (type, data.ToString());
                continue;
            }
            if (line[0] == ':') continue;
            if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = data is null ? new StringBuilder(line["data: ".Length..]) : data.Append('\n').Append(line["data: ".Length..]);
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return default;
    }
}
