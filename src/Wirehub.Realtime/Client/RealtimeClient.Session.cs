using System.Buffers;
using System.Text.Json;
using Wirehub.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Client;

public sealed partial class RealtimeClient
{
    private WebSocketClient? _socket;
    private string? _recoveryKey;
    private string? _token;
    private TimeSpan _pingInterval = DefaultPingInterval;
    private bool _closeRequested;
    private Task? _run;

    /// <summary>The client whose receive loop is running the current code (handlers run there).</summary>
    private static readonly AsyncLocal<RealtimeClient?> s_receiveLoopOf = new();

    private readonly record struct SessionStart(WebSocketClient? Socket, ushort? CloseCode, Exception? Error);

    /// <summary>Receives on the current connection, then reconnects with backoff until told to stop.</summary>
    private async Task RunAsync(WebSocketClient socket)
    {
        s_receiveLoopOf.Value = this;
        while (true)
        {
            var (code, error) = await ReceiveLoopAsync(socket).ConfigureAwait(false);
            await socket.DisposeAsync().ConfigureAwait(false);
            var kind = CloseCodePolicy.For(code);
            while (true)
            {
                bool closing;
                lock (_gate)
                {
                    _socket = null;
                    closing = _closeRequested;
                }
                if (closing)
                {
                    MarkClosed(1000, null);
                    return;
                }
                if (kind == ReconnectKind.Stop || (kind == ReconnectKind.NewToken && _options.TokenProvider is null))
                {
                    MarkClosed(code, error);
                    return;
                }
                SetState(RealtimeClientState.Reconnecting, code, error);
                if (kind == ReconnectKind.NewToken) lock (_gate) _token = null; // the next attempt asks the provider
                if (kind == ReconnectKind.WithoutRecovery) lock (_gate) _recoveryKey = null;
                try
                {
                    await Task.Delay(_backoff.NextDelay(), _lifetime.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    continue; // closing
                }
                var start = await OpenSessionAsync(_lifetime.Token).ConfigureAwait(false);
                if (start.Socket is not null)
                {
                    socket = start.Socket;
                    break;
                }
                code = start.CloseCode ?? 1006;
                error = start.Error;
                kind = CloseCodePolicy.For(code);
            }
        }
    }

    /// <summary>
    /// Handles frames until the connection closes; returns its close code (1006 when it dropped or the server fell
    /// silent for longer than its ping interval plus <see cref="RealtimeClientOptions.PingTimeout"/>).
    /// </summary>
    private async Task<(ushort Code, Exception? Error)> ReceiveLoopAsync(WebSocketClient socket)
    {
        TimeSpan silence;
        lock (_gate) silence = _pingInterval + _options.PingTimeout;
        using var silent = new CancellationTokenSource();
        // One buffer per connection for the JSON of its binary frames, read before the next frame is received.
        var decoded = IsMessagePack(socket) ? new ArrayBufferWriter<byte>() : null;
        try
        {
            while (true)
            {
                silent.CancelAfter(silence);
                var message = await socket.ReceiveAsync(silent.Token).ConfigureAwait(false);
                if (message.IsClose) return (socket.CloseStatus ?? 1006, null);
                if (decoded is null)
                {
                    if (message.Type == MessageType.Text) Dispatch(socket, message.Data);
                    continue;
                }
                decoded.ResetWrittenCount();
                if (message.Type == MessageType.Binary && MessagePackFrames.TryToJson(message.Data, decoded))
                    Dispatch(socket, new ReadOnlySequence<byte>(decoded.WrittenMemory));
            }
        }
        catch (OperationCanceledException) when (silent.IsCancellationRequested)
        {
            return (1006, new TimeoutException(
                $"The server sent nothing for {silence.TotalSeconds:0.#} s (its ping interval plus the ping timeout); reconnecting."));
        }
        catch (Exception ex)
        {
            return (socket.CloseStatus ?? 1006, ex);
        }
    }

    /// <summary>Opens a WebSocket, sends <c>connect</c> (with recovery when possible) and handles <c>connected</c>.</summary>
    private async Task<SessionStart> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var socketOptions = new WebSocketClientOptions { HandshakeTimeout = _options.SendTimeout };
        string subprotocol = _options.Encoding == RealtimeEncoding.MessagePack ? MessagePackSubprotocol : Subprotocol;
        socketOptions.Subprotocols.Add(subprotocol);
        var socket = new WebSocketClient(_url, socketOptions);
        try
        {
            if (_options.TokenProvider is { } provider && Read(() => _token) is null)
            {
                string token = await provider(cancellationToken).ConfigureAwait(false);
                lock (_gate) _token = token;
            }
            await socket.ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (socket.Protocol != subprotocol)
                throw new WebSocketHandshakeException($"The server at {_url} did not accept the {subprotocol} subprotocol: is it a Wirehub endpoint?");
            var asked = WriteConnect(socket, out var connect);
            await connect.ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.SendTimeout);
            while (true)
            {
                WebSocketMessage message;
                try
                {
                    message = await socket.ReceiveAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"The server did not answer connect within {_options.SendTimeout.TotalSeconds:0.#} s.");
                }
                if (message.IsClose)
                {
                    ushort code = socket.CloseStatus ?? 1006;
                    await socket.DisposeAsync().ConfigureAwait(false);
                    return new SessionStart(null, code, new RealtimeException(code,
                        $"The server closed the connection with {code} ({socket.CloseReason}) before answering connect.",
                        retriable: CloseCodePolicy.For(code) != ReconnectKind.Stop));
                }
                if (message.Type != (IsMessagePack(socket) ? MessageType.Binary : MessageType.Text)) continue;
                using var document = JsonDocument.Parse(IsMessagePack(socket) ? ConnectReplyJson(message.Data) : message.Data);
                var frame = document.RootElement;
                if (frame.ValueKind != JsonValueKind.Object) continue;
                switch (ServerFrameReader.GetString(frame, "type"))
                {
                    case "connected":
                        await OnConnectedAsync(socket, frame, asked).ConfigureAwait(false);
                        return new SessionStart(socket, null, null);
                    case "ping":
                        await SendFrameAsync(socket, static w => w.WriteString("type", "pong")).ConfigureAwait(false);
                        break;
                    case "error":
                        throw ServerFrameReader.ReadError(frame);
                }
            }
        }
        catch (Exception ex)
        {
            ushort? code = socket.CloseStatus is { } status && status != 1006 ? status : null;
            await socket.DisposeAsync().ConfigureAwait(false);
            return new SessionStart(null, code, ex);
        }
    }

    private static bool IsMessagePack(WebSocketClient socket) => socket.Protocol == MessagePackSubprotocol;

    /// <summary>The JSON of a binary frame received before <c>connected</c>, in an array of its own (read across awaits).</summary>
    private static ReadOnlySequence<byte> ConnectReplyJson(ReadOnlySequence<byte> frame)
    {
        var json = new ArrayBufferWriter<byte>();
        if (!MessagePackFrames.TryToJson(frame, json))
            throw new InvalidDataException("Before connected, the server sent a binary frame that is not one MessagePack map JSON can carry.");
        return new ReadOnlySequence<byte>(json.WrittenMemory);
    }

    /// <summary>Sends <c>connect</c>; returns the channels whose positions were offered for recovery.</summary>
    private HashSet<string> WriteConnect(WebSocketClient socket, out Task sent)
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);
        var positions = new List<(string Channel, StreamPosition Position)>();
        string? token, clientId, key;
        long id;
        lock (_gate)
        {
            token = _token;
            clientId = _options.ClientId ?? _clientId;
            key = _recoveryKey;
            id = ++_nextId;
            if (key is not null)
            {
                foreach (var channel in _channels.Values)
                {
                    if (channel.SubscriptionState != ChannelSubscriptionState.Subscribed || channel.LastPosition is not { } position) continue;
                    positions.Add((channel.Name, position));
                    asked.Add(channel.Name);
                }
            }
        }
        sent = SendFrameAsync(socket, w =>
        {
            w.WriteString("type", "connect");
            w.WriteNumber("id", id);
            if (token is not null) w.WriteString("token", token);
            if (clientId is not null) w.WriteString("clientId", clientId);
            if (key is null) return;
            w.WriteStartObject("recover");
            w.WriteString("key", key);
            w.WriteStartObject("positions");
            foreach (var (channel, position) in positions) WritePosition(w, channel, position);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return asked;
    }

    /// <summary>
    /// Takes in <c>connected</c>: channels the server could not recover report <see cref="RealtimeChannel.ContinuityLost"/>,
    /// channels it did not resubscribe are subscribed again from their last position, presence is entered again when
    /// the session was not recovered, and unanswered requests are sent again.
    /// </summary>
    private async Task OnConnectedAsync(WebSocketClient socket, JsonElement frame, HashSet<string> asked)
    {
        bool recovered = ServerFrameReader.GetBoolean(frame, "recovered") ?? false;
        var entries = new Dictionary<string, (bool Recovered, StreamPosition? Position)>(StringComparer.Ordinal);
        if (frame.TryGetProperty("subscriptions", out var subscriptions) && subscriptions.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in subscriptions.EnumerateArray())
            {
                if (ServerFrameReader.GetString(entry, "channel") is { } name)
                    entries[name] = (ServerFrameReader.GetBoolean(entry, "recovered") ?? false, ServerFrameReader.GetPosition(entry, "position"));
            }
        }
        var lost = new List<(RealtimeChannel Channel, ContinuityLostEventArgs Args)>();
        var superseded = new List<PendingRequest>();
        var restore = new List<PendingRequest>();
        List<PendingRequest> resend;
        RealtimeClientState previous;
        bool changed;
        lock (_gate)
        {
            _clientId = ServerFrameReader.GetString(frame, "clientId") ?? _clientId;
            _connectionId = ServerFrameReader.GetString(frame, "connectionId");
            _recoveryKey = ServerFrameReader.GetString(frame, "recoveryKey") ?? _recoveryKey;
            _pingInterval = frame.TryGetProperty("limits", out var limits) && ServerFrameReader.GetInt64(limits, "pingInterval") is > 0 and var ms
                ? TimeSpan.FromMilliseconds(ms) : DefaultPingInterval;

            foreach (var request in _pending.Values)
            {
                if (request.OnReconnect == ReconnectBehaviour.CompleteWithoutAnswer) superseded.Add(request);
            }
            foreach (var request in superseded) _pending.Remove(request.Id);
            resend = [.. _pending.Values.OrderBy(r => r.Id)];

            foreach (var channel in _channels.Values)
            {
                if (channel.SubscriptionState != ChannelSubscriptionState.Subscribed) continue;
                if (entries.TryGetValue(channel.Name, out var entry))
                {
                    if (!entry.Recovered)
                    {
                        var resumed = entry.Position ?? new StreamPosition(0, "");
                        lost.Add((channel, new ContinuityLostEventArgs(channel.LastPosition, resumed)));
                        channel.LastPosition = resumed;
                    }
                }
                else if (!(recovered && asked.Contains(channel.Name)))
                {
                    restore.Add(Resubscription(channel).Unawaited());
                }
                if (!recovered && channel.Entered) restore.Add(PresenceReentry(channel).Unawaited());
            }
            foreach (var request in restore)
            {
                request.Id = ++_nextId;
                _pending.Add(request.Id, request);
            }
            _socket = socket;
            changed = TryEnterState(RealtimeClientState.Connected, out previous);
        }
        _backoff.Reset();
        foreach (var request in superseded) request.Completion.TrySetResult(default);
        foreach (var request in restore) await SendRequestAsync(socket, request).ConfigureAwait(false);
        foreach (var request in resend) await SendRequestAsync(socket, request).ConfigureAwait(false);
        if (changed) RaiseStateChanged(previous, RealtimeClientState.Connected, null, null);
        foreach (var (channel, args) in lost) channel.RaiseContinuityLost(args);
    }

    /// <summary>Subscribes again from the last processed position after a session that was not recovered.</summary>
    private PendingRequest Resubscription(RealtimeChannel channel)
    {
        var since = channel.LastPosition;
        return new PendingRequest("subscribe", w =>
        {
            w.WriteString("channel", channel.Name);
            if (since is { } position) WritePosition(w, "since", position);
        }, ReconnectBehaviour.CompleteWithoutAnswer)
        {
            OnReply = reply =>
            {
                if (ServerFrameReader.GetBoolean(reply, "recovered") == true) return; // the missed messages follow
                var resumed = ServerFrameReader.GetPosition(reply, "position") ?? new StreamPosition(0, "");
                StreamPosition? before;
                lock (_gate)
                {
                    if (channel.SubscriptionState != ChannelSubscriptionState.Subscribed) return;
                    before = channel.LastPosition;
                    channel.LastPosition = resumed;
                }
                channel.RaiseContinuityLost(new ContinuityLostEventArgs(before, resumed));
            },
            OnError = _ =>
            {
                // Refused now (for example the new token lacks the capability): the subscription is over.
                lock (_gate)
                {
                    channel.SubscriptionState = ChannelSubscriptionState.Unsubscribed;
                    channel.Handlers = null;
                    channel.LastPosition = null;
                }
            },
        };
    }

    private static PendingRequest PresenceReentry(RealtimeChannel channel)
    {
        var data = channel.EnteredData;
        return new PendingRequest("presence.enter", w =>
        {
            w.WriteString("channel", channel.Name);
            if (data is { } value)
            {
                w.WritePropertyName("data");
                value.WriteTo(w);
            }
        }, ReconnectBehaviour.CompleteWithoutAnswer);
    }
}
