using System.Text.Json;

namespace Wirehub.Realtime.Tests.Transports.Support;

/// <summary>A client of one <c>wirehub.v1</c> connection over any transport, frame by frame.</summary>
internal abstract class FrameClient : IAsyncDisposable
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The close the server sent (code and reason), once received.</summary>
    public (ushort Code, string Reason)? Close { get; protected set; }

    /// <summary>Sends frames: one WebSocket message each, or together in one POST body.</summary>
    public abstract Task SendAsync(params string[] frames);

    /// <summary>The next frame; null once the connection has closed.</summary>
    public abstract Task<JsonElement?> ReceiveAsync();

    /// <summary>Drops the connection without closing it (a network failure, a closed tab).</summary>
    public abstract ValueTask AbortAsync();

    public abstract ValueTask DisposeAsync();

    public async Task<JsonElement> ExpectAsync(string type)
    {
        var frame = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"Expected \"{type}\" but the connection closed ({Close}).");
        Assert.True(frame.GetProperty("type").GetString() == type, $"Expected \"{type}\", got {frame.GetRawText()}");
        return frame;
    }

    public async Task<JsonElement> RequestAsync(string json, string replyType)
    {
        await SendAsync(json);
        return await ExpectAsync(replyType);
    }

    /// <summary>Reads until the server closes; returns the close code.</summary>
    public async Task<ushort?> ExpectCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }
        return Close?.Code;
    }

    /// <summary>The next <paramref name="count"/> frames of <paramref name="type"/>, skipping others (pings, own acks).</summary>
    public async Task<List<JsonElement>> CollectAsync(string type, int count)
    {
        var frames = new List<JsonElement>();
        while (frames.Count < count)
        {
            var frame = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"Closed ({Close}) after {frames.Count} \"{type}\" frames.");
            if (frame.GetProperty("type").GetString() == type) frames.Add(frame);
        }
        return frames;
    }

    protected static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
