using System.Text.Json;
using System.Threading.Channels;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Tests.Client.Support;

/// <summary>One client connection as the scripted server sees it: frames in arrival order, and JSON to send back.</summary>
internal sealed class FakeServerConnection
{
    private readonly WebSocketConnection _connection;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeServerConnection(WebSocketConnection connection)
    {
        _connection = connection;
        _ = ReceiveLoopAsync();
    }

    public Task Finished => _finished.Task;

    /// <summary>The next frame the client sent.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var timeout = new CancellationTokenSource(FakeWirehubServer.Patience);
        return await _frames.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next frame, which must have the given type.</summary>
    public async Task<JsonElement> ExpectAsync(string type)
    {
        var frame = await NextAsync();
        Assert.Equal(type, frame.GetProperty("type").GetString());
        return frame;
    }

    /// <summary>True when the client sent nothing more before it closed (or within a short wait).</summary>
    public bool HasNoMoreFrames => !_frames.Reader.TryPeek(out _);

    public async Task SendAsync(string json) => await _connection.SendTextAsync(json);

    /// <summary>Reads the client's connect and answers connected.</summary>
    public async Task<JsonElement> AnswerConnectAsync(string connectionId = "k-1", string recoveryKey = "rk1",
        bool recovered = false, int pingInterval = 25000, string subscriptions = "[]")
    {
        var connect = await ExpectAsync("connect");
        long id = connect.GetProperty("id").GetInt64();
        string clientId = connect.TryGetProperty("clientId", out var proposed) ? proposed.GetString()! : "c-anon";
        await SendAsync($$"""
            {"type":"connected","id":{{id}},"clientId":"{{clientId}}","connectionId":"{{connectionId}}","recoveryKey":"{{recoveryKey}}",
             "recovered":{{(recovered ? "true" : "false")}},
             "limits":{"maxMessageSize":65536,"maxSubscriptions":128,"publishRate":50,"pingInterval":{{pingInterval}},
                       "recoveryWindow":120000,"presenceGrace":5000},
             "subscriptions":{{subscriptions}}}
            """);
        return connect;
    }

    /// <summary>Reads a subscribe and answers subscribed at the given position.</summary>
    public async Task<JsonElement> AnswerSubscribeAsync(long serial = 0, string epoch = "e1", bool? recovered = null)
    {
        var subscribe = await ExpectAsync("subscribe");
        string recoveredField = recovered is { } r ? $",\"recovered\":{(r ? "true" : "false")}" : "";
        await SendAsync($$"""
            {"type":"subscribed","id":{{subscribe.GetProperty("id").GetInt64()}},"channel":"{{subscribe.GetProperty("channel").GetString()}}",
             "position":{"serial":{{serial}},"epoch":"{{epoch}}"}{{recoveredField}} }
            """);
        return subscribe;
    }

    /// <summary>Pushes a message of a channel.</summary>
    public Task PushMessageAsync(string channel, long serial, string epoch = "e1", string text = "hi") => SendAsync($$"""
        {"type":"message","channel":"{{channel}}","serial":{{serial}},"epoch":"{{epoch}}","id":"m-{{serial}}","time":1764000000000,
         "publisher":{"clientId":"c-pub","connectionId":"k-pub"},"data":{"text":"{{text}}"} }
        """);

    /// <summary>Closes with a code, as a server that means it.</summary>
    public async Task CloseAsync(ushort code, string reason = "")
    {
        await _connection.CloseAsync(code, reason);
        _finished.TrySetResult();
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Drop()
    {
        _connection.Abort();
        _finished.TrySetResult();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var message = await _connection.ReceiveAsync();
                if (message.IsClose) break;
                using var document = JsonDocument.Parse(message.Data);
                _frames.Writer.TryWrite(document.RootElement.Clone());
            }
        }
        catch (Exception)
        {
            // The connection failed or was aborted by the test: the client's view is what the tests check.
        }
        _frames.Writer.TryComplete();
        _finished.TrySetResult();
    }
}
