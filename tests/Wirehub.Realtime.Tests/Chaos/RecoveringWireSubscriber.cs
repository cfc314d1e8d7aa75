using System.Text.Json;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// A subscriber written from PROTOCOL.md alone, over raw frames: it reconnects whenever its connection ends and
/// recovers by hand (<c>connect</c> with <c>recover.key</c> and its last position, or <c>subscribe</c> with
/// <c>since</c>). It does not deduplicate: the server must send each message once, in serial order, across reconnects;
/// anything else is recorded as a violation.
/// </summary>
internal sealed class RecoveringWireSubscriber : IAsyncDisposable
{
    // PROTOCOL.md: a client that receives nothing for pingInterval (25 s) + 10 s considers the connection dead.
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(35);

    private readonly Uri _url;
    private readonly string _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _violations = [];
    private readonly List<ushort?> _closeCodes = [];
    private readonly TaskCompletionSource _firstSubscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _running = Task.CompletedTask;
    private WireClient? _current;
    private volatile bool _live;
    private string? _recoveryKey;
    private long? _serial;
    private string? _epoch;

    private RecoveringWireSubscriber(Uri url, string channel)
    {
        _url = url;
        _channel = channel;
    }

    public DeliveryLog Log { get; } = new();

    /// <summary>Breaches of the protocol's delivery promise: gaps, duplicates, lost continuity, errors.</summary>
    public IReadOnlyList<string> Violations
    {
        get { lock (_violations) return [.. _violations]; }
    }

    /// <summary>The close code of every connection that ended (null when it dropped without one).</summary>
    public IReadOnlyList<ushort?> CloseCodes
    {
        get { lock (_closeCodes) return [.. _closeCodes]; }
    }

    /// <summary>Connected and subscribed on the current connection.</summary>
    public bool IsLive => _live;

    public static async Task<RecoveringWireSubscriber> StartAsync(Uri url, string channel)
    {
        var subscriber = new RecoveringWireSubscriber(url, channel);
        subscriber._running = Task.Run(subscriber.RunAsync);
        await subscriber._firstSubscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return subscriber;
    }

    /// <summary>Aborts the current connection from the client's side, without a closing handshake.</summary>
    public async ValueTask AbortAsync()
    {
        if (_current is { } client) await client.AbortAsync();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            WireClient? client = null;
            try
            {
                client = await WireClient.OpenAsync(_url);
                _current = client;
                await RunSessionAsync(client);
            }
            catch (Exception)
            {
                // The connection failed, was cut, or went silent (or the subscriber is stopping): reconnect and recover.
            }
            finally
            {
                _live = false;
                _current = null;
                if (client is not null)
                {
                    lock (_closeCodes) _closeCodes.Add(client.Socket.CloseStatus);
                    await client.DisposeAsync();
                }
            }
            if (!_stop.IsCancellationRequested) await Task.Delay(20);
        }
    }

    private async Task RunSessionAsync(WireClient client)
    {
        await client.SendAsync(ConnectFrame());
        while (true)
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            silence.CancelAfter(Silence);
            var message = await client.Socket.ReceiveAsync(silence.Token);
            if (message.IsClose) return;
            using var document = JsonDocument.Parse(message.Data);
            var frame = document.RootElement;
            switch (frame.GetProperty("type").GetString())
            {
                case "connected":
                    await OnConnectedAsync(client, frame);
                    break;
                case "subscribed":
                    OnSubscribed(frame);
                    break;
                case "message":
                    OnMessage(frame);
                    break;
                case "ping":
                    await client.SendAsync("{\"type\":\"pong\"}");
                    break;
                case "error":
                    Violate($"error: {frame.GetRawText()}");
                    break;
            }
        }
    }

    private string ConnectFrame()
    {
        if (_recoveryKey is null) return "{\"type\":\"connect\",\"id\":1}";
        string positions = _serial is { } serial ? $$$"""{"{{{_channel}}}":{"serial":{{{serial}}},"epoch":"{{{_epoch}}}"}}""" : "{}";
        return $$$"""{"type":"connect","id":1,"recover":{"key":"{{{_recoveryKey}}}","positions":{{{positions}}}}}""";
    }

    private async Task OnConnectedAsync(WireClient client, JsonElement connected)
    {
        _recoveryKey = connected.GetProperty("recoveryKey").GetString();
        if (_serial is null)
        {
            await client.SendAsync($$"""{"type":"subscribe","id":2,"channel":"{{_channel}}"}""");
            return;
        }
        foreach (var entry in connected.GetProperty("subscriptions").EnumerateArray())
        {
            if (entry.GetProperty("channel").GetString() != _channel) continue;
            // PROTOCOL.md: the messages after our position follow, in order, before any live message.
            if (!entry.GetProperty("recovered").GetBoolean()) Violate($"continuity lost on recovery: {entry.GetRawText()}");
            _live = true;
            return;
        }
        await client.SendAsync($$$"""{"type":"subscribe","id":2,"channel":"{{{_channel}}}","since":{"serial":{{{_serial}}},"epoch":"{{{_epoch}}}"}}""");
    }

    private void OnSubscribed(JsonElement subscribed)
    {
        if (_serial is null)
        {
            var position = subscribed.GetProperty("position");
            _serial = position.GetProperty("serial").GetInt64();
            _epoch = position.GetProperty("epoch").GetString();
        }
        else if (!subscribed.GetProperty("recovered").GetBoolean())
        {
            Violate($"continuity lost on subscribe since: {subscribed.GetRawText()}");
        }
        _live = true;
        _firstSubscribed.TrySetResult();
    }

    private void OnMessage(JsonElement message)
    {
        long serial = message.GetProperty("serial").GetInt64();
        string? epoch = message.GetProperty("epoch").GetString();
        if (epoch != _epoch) Violate($"epoch changed from {_epoch} to {epoch} at serial {serial}");
        if (serial != _serial + 1) Violate($"expected serial {_serial + 1}, got {serial}");
        if (serial > _serial) _serial = serial;
        Log.Add(serial, NumberedMessage.NumberOf(message.GetProperty("data")));
    }

    private void Violate(string what)
    {
        lock (_violations) _violations.Add(what);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await AbortAsync();
        await _running;
        _stop.Dispose();
    }
}
