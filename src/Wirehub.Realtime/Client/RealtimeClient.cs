using System.Text.Json;
using Wirehub.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Client;

/// <summary>
/// A client of a Wirehub server speaking <c>wirehub.v1</c> (docs/PROTOCOL.md) over <see cref="WebSocketClient"/>:
/// channels, publish with acks, history, presence, and automatic reconnection that recovers the session and delivers
/// every channel's messages in serial order exactly once.
/// </summary>
/// <remarks>
/// After an unexpected close the client reconnects with exponential backoff and full jitter, sending its last
/// recovery key and the last processed position of each subscribed channel; requests made meanwhile wait and are sent
/// once connected. It stops for good on close codes 1000, 1009, 4001 and 4003, and on 4002 without a
/// <see cref="RealtimeClientOptions.TokenProvider"/>.
/// </remarks>
public sealed partial class RealtimeClient : IAsyncDisposable
{
    /// <summary>The WebSocket subprotocol this client speaks with <see cref="RealtimeEncoding.Json"/>.</summary>
    public const string Subprotocol = "wirehub.v1";

    /// <summary>The WebSocket subprotocol this client speaks with <see cref="RealtimeEncoding.MessagePack"/>.</summary>
    public const string MessagePackSubprotocol = "wirehub.v1.msgpack";

    private static readonly TimeSpan DefaultPingInterval = TimeSpan.FromMilliseconds(25000);

    private readonly Uri _url;
    private readonly RealtimeClientOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<string, RealtimeChannel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RealtimeChannel>.AlternateLookup<ReadOnlySpan<char>> _channelsByName;
    private readonly ReconnectBackoff _backoff;
    private readonly CancellationTokenSource _lifetime = new();
    private RealtimeClientState _state = RealtimeClientState.Disconnected;
    private string? _clientId;
    private string? _connectionId;

    /// <summary>Prepares a client; nothing is sent until <see cref="ConnectAsync"/>.</summary>
    /// <param name="url">The server's endpoint, for example <c>ws://localhost:8080/connection</c>.</param>
    /// <param name="options">Token, client id, backoff and timeouts; null for the defaults.</param>
    public RealtimeClient(Uri url, RealtimeClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("ws" or "wss" or "http" or "https"))
            throw new ArgumentException($"'{url}' is not a WebSocket URL: use ws://host[:port]/connection or wss://...", nameof(url));
        _url = url;
        _options = options ?? new RealtimeClientOptions();
        _backoff = new ReconnectBackoff(_options);
        _channelsByName = _channels.GetAlternateLookup<ReadOnlySpan<char>>();
        _token = _options.TokenProvider is null ? _options.Token : null;
    }

    /// <summary>Disconnected, connecting, connected, reconnecting or closed.</summary>
    public RealtimeClientState State => Read(() => _state);

    /// <summary>The client id the server assigned (or kept), once connected.</summary>
    public string? ClientId => Read(() => _clientId);

    /// <summary>The current connection's id, once connected.</summary>
    public string? ConnectionId => Read(() => _connectionId);

    /// <summary>The state changed; carries the close code or error that caused it. Raised on the client's own tasks.</summary>
    public event EventHandler<RealtimeStateChangedEventArgs>? StateChanged;

    /// <summary>The channel named <paramref name="name"/> (the same instance for the same name).</summary>
    /// <exception cref="ArgumentException">The name is not 1-255 characters from <c>[A-Za-z0-9_\-:.@/=,]</c>.</exception>
    public RealtimeChannel Channel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ChannelName.IsValid(name))
            throw new ArgumentException($"'{name}' is not a channel name: use 1-255 characters from A-Z a-z 0-9 _ - : . @ / = ,", nameof(name));
        lock (_gate)
        {
            if (!_channels.TryGetValue(name, out var channel))
                _channels[name] = channel = new RealtimeChannel(this, name);
            return channel;
        }
    }

    /// <summary>
    /// Opens the connection and waits for the server's <c>connected</c>. Reconnection is automatic afterwards; a
    /// failure of this first attempt is thrown and leaves the client <see cref="RealtimeClientState.Disconnected"/>,
    /// ready for another call.
    /// </summary>
    /// <exception cref="RealtimeException">The server closed with a code (4001 unauthorized, ...) instead of answering.</exception>
    /// <exception cref="WebSocketHandshakeException">The WebSocket handshake failed.</exception>
    /// <exception cref="TimeoutException">No <c>connected</c> within <see cref="RealtimeClientOptions.SendTimeout"/>.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_state != RealtimeClientState.Disconnected)
                throw new InvalidOperationException(_state == RealtimeClientState.Closed
                    ? "The client is closed; create a new RealtimeClient to connect again."
                    : $"The client is already {_state.ToString().ToLowerInvariant()}; ConnectAsync is called once.");
        }
        SetState(RealtimeClientState.Connecting, null, null);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var start = await OpenSessionAsync(linked.Token).ConfigureAwait(false);
        if (start.Socket is null)
        {
            SetState(RealtimeClientState.Disconnected, start.CloseCode, start.Error);
            cancellationToken.ThrowIfCancellationRequested();
            throw start.Error ?? new RealtimeException(start.CloseCode ?? 1006,
                $"The server closed the connection with {start.CloseCode} before answering connect.", retriable: false);
        }
        _run = RunAsync(start.Socket);
    }

    /// <summary>
    /// Closes the connection with 1000 and stops reconnecting; waiting requests fail. May be called from a handler.
    /// </summary>
    public async Task CloseAsync()
    {
        WebSocketClient? socket;
        lock (_gate)
        {
            if (_state == RealtimeClientState.Closed) return;
            _closeRequested = true;
            socket = _socket;
        }
        _lifetime.Cancel();
        // Called from a handler, the receive loop is the caller: waiting for it to read the server's close would
        // wait for ourselves, so start the closing handshake and let the loop finish it.
        bool fromReceiveLoop = s_receiveLoopOf.Value == this;
        if (socket is not null)
        {
            try
            {
                if (fromReceiveLoop) socket.Close();
                else await socket.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Closing anyway.
            }
        }
        if (_run is { } run && !fromReceiveLoop) await run.ConfigureAwait(false);
        MarkClosed(1000, null);
    }

    /// <summary>Closes (see <see cref="CloseAsync"/>) and releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    internal T Read<T>(Func<T> read)
    {
        lock (_gate) return read();
    }

    private void SetState(RealtimeClientState state, ushort? closeCode, Exception? error)
    {
        RealtimeClientState previous;
        lock (_gate)
        {
            if (!TryEnterState(state, out previous)) return;
        }
        RaiseStateChanged(previous, state, closeCode, error);
    }

    /// <summary>Changes the state; the caller holds the lock and raises the event after releasing it.</summary>
    private bool TryEnterState(RealtimeClientState state, out RealtimeClientState previous)
    {
        previous = _state;
        if (previous == state || previous == RealtimeClientState.Closed) return false;
        _state = state;
        return true;
    }

    private void RaiseStateChanged(RealtimeClientState previous, RealtimeClientState state, ushort? closeCode, Exception? error)
    {
        try { StateChanged?.Invoke(this, new RealtimeStateChangedEventArgs(previous, state, closeCode, error)); }
        catch (Exception) { /* a faulty listener must not stop the connection */ }
    }

    private void MarkClosed(ushort code, Exception? error)
    {
        List<PendingRequest> failed;
        lock (_gate)
        {
            failed = [.. _pending.Values];
            _pending.Clear();
            _socket = null;
        }
        SetState(RealtimeClientState.Closed, code, error);
        var failure = new RealtimeException(code, code == 1000
            ? "The client was closed before the server answered."
            : $"The connection closed with {code} and will not reconnect: {error?.Message ?? CloseCodeMeaning(code)}", retriable: false);
        foreach (var request in failed) request.Completion.TrySetException(failure);
    }

    private static string CloseCodeMeaning(ushort code) => code switch
    {
        1000 => "normal closure.",
        1009 => "a frame was too large.",
        4001 => "unauthorized; get a valid token and create a new client.",
        4002 => "the token expired and no TokenProvider is configured to get a new one.",
        4003 => "forbidden: the origin or the client is not allowed.",
        _ => "see the close-code table in PROTOCOL.md.",
    };

    // ---- channel operations, called by RealtimeChannel ----

    internal async Task SubscribeAsync(RealtimeChannel channel, Action<ChannelMessage> handler, CancellationToken cancellationToken)
    {
        PendingRequest? request = null;
        Task subscribed;
        lock (_gate)
        {
            ThrowIfClosed();
            channel.Handlers += handler;
            if (channel.SubscriptionState == ChannelSubscriptionState.Unsubscribed)
            {
                channel.SubscriptionState = ChannelSubscriptionState.Subscribing;
                request = new PendingRequest("subscribe", w => w.WriteString("channel", channel.Name), ReconnectBehaviour.Resend)
                {
                    OnReply = reply => OnSubscribed(channel, reply),
                    OnError = _ => OnSubscribeRefused(channel),
                };
                channel.PendingSubscribe = request.Completion.Task;
            }
            subscribed = channel.PendingSubscribe ?? Task.CompletedTask;
        }
        if (request is not null) Submit(request);
        await AwaitAnswerAsync(request, subscribed, cancellationToken).ConfigureAwait(false);
    }

    private void OnSubscribed(RealtimeChannel channel, JsonElement reply)
    {
        lock (_gate)
        {
            if (channel.SubscriptionState != ChannelSubscriptionState.Subscribing) return;
            channel.SubscriptionState = ChannelSubscriptionState.Subscribed;
            // A fresh subscription delivers live messages after this position.
            channel.LastPosition = ServerFrameReader.GetPosition(reply, "position") ?? new StreamPosition(0, "");
            channel.PendingSubscribe = null;
        }
    }

    private void OnSubscribeRefused(RealtimeChannel channel)
    {
        lock (_gate)
        {
            if (channel.SubscriptionState != ChannelSubscriptionState.Subscribing) return;
            channel.SubscriptionState = ChannelSubscriptionState.Unsubscribed;
            channel.Handlers = null;
            channel.PendingSubscribe = null;
        }
    }

    internal async Task UnsubscribeAsync(RealtimeChannel channel, CancellationToken cancellationToken)
    {
        PendingRequest request;
        lock (_gate)
        {
            ThrowIfClosed();
            if (channel.SubscriptionState == ChannelSubscriptionState.Unsubscribed) return;
            channel.SubscriptionState = ChannelSubscriptionState.Unsubscribed;
            channel.Handlers = null;
            channel.LastPosition = null;
            channel.PendingSubscribe = null;
            channel.Entered = false;
            // Sent again after a reconnect: a recovered session may have resubscribed the channel on the server.
            request = new PendingRequest("unsubscribe", w => w.WriteString("channel", channel.Name), ReconnectBehaviour.Resend);
        }
        try
        {
            await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RealtimeException ex) when (ex.Code == 404)
        {
            // Not subscribed on the server (a session that was not recovered): the goal is reached.
        }
    }

    internal async Task<PublishAck> PublishAsync(RealtimeChannel channel, JsonElement data, string messageId, CancellationToken cancellationToken)
    {
        var request = new PendingRequest("publish", w =>
        {
            w.WriteString("channel", channel.Name);
            w.WritePropertyName("data");
            data.WriteTo(w);
            w.WriteString("messageId", messageId);
        }, ReconnectBehaviour.Resend);
        var reply = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        return new PublishAck(channel.Name, ServerFrameReader.GetInt64(reply, "serial") ?? 0,
            ServerFrameReader.GetString(reply, "epoch") ?? "", ServerFrameReader.GetString(reply, "messageId") ?? messageId);
    }

    internal async Task<HistoryPage> HistoryAsync(RealtimeChannel channel, int limit, HistoryDirection direction,
        StreamPosition? since, CancellationToken cancellationToken)
    {
        var request = new PendingRequest("history", w =>
        {
            w.WriteString("channel", channel.Name);
            w.WriteNumber("limit", limit);
            w.WriteString("direction", direction == HistoryDirection.Backward ? "backward" : "forward");
            if (since is { } position) WritePosition(w, "since", position);
        }, ReconnectBehaviour.Resend);
        var reply = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        var messages = new List<ChannelMessage>();
        if (reply.TryGetProperty("messages", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray()) messages.Add(ServerFrameReader.ReadMessage(item, channel.Name));
        }
        var at = ServerFrameReader.GetPosition(reply, "position") ?? new StreamPosition(0, "");
        return new HistoryPage(at, messages);
    }

    internal async Task PresenceAsync(RealtimeChannel channel, string type, JsonElement? data, CancellationToken cancellationToken)
    {
        var request = new PendingRequest(type, w =>
        {
            w.WriteString("channel", channel.Name);
            if (data is { } value)
            {
                w.WritePropertyName("data");
                value.WriteTo(w);
            }
        }, ReconnectBehaviour.Resend)
        {
            // Remembered so a session that could not be recovered enters again with the latest data.
            OnReply = _ =>
            {
                lock (_gate)
                {
                    channel.Entered = type != "presence.leave";
                    channel.EnteredData = type == "presence.leave" ? null : data;
                }
            },
        };
        await RequestAsync(request, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<IReadOnlyList<PresenceMember>> GetMembersAsync(RealtimeChannel channel, CancellationToken cancellationToken)
    {
        var request = new PendingRequest("presence.get", w => w.WriteString("channel", channel.Name), ReconnectBehaviour.Resend);
        var reply = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        var members = new List<PresenceMember>();
        if (reply.TryGetProperty("members", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray()) members.Add(ServerFrameReader.ReadMember(item));
        }
        return members;
    }

    private void ThrowIfClosed()
    {
        if (_state == RealtimeClientState.Closed || _closeRequested)
            throw new InvalidOperationException("The client is closed; create a new RealtimeClient.");
    }

    private static void WritePosition(Utf8JsonWriter writer, string name, StreamPosition position)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("serial", position.Serial);
        writer.WriteString("epoch", position.Epoch);
        writer.WriteEndObject();
    }
}
