using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Client;

public sealed partial class RealtimeClient
{
    private readonly Dictionary<long, PendingRequest> _pending = new();
    private long _nextId;

    /// <summary>Registers a request and sends it now when connected; otherwise it goes out once connected.</summary>
    private void Submit(PendingRequest request)
    {
        WebSocketClient? socket;
        lock (_gate)
        {
            ThrowIfClosed();
            request.Id = ++_nextId;
            _pending.Add(request.Id, request);
            socket = _state == RealtimeClientState.Connected ? _socket : null;
        }
        if (socket is not null) _ = SendRequestAsync(socket, request);
    }

    private async Task<JsonElement> RequestAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        Submit(request);
        await AwaitAnswerAsync(request, request.Completion.Task, cancellationToken).ConfigureAwait(false);
        return await request.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Waits for an answer within the send timeout; a request given up on is withdrawn so it is not sent again.</summary>
    private async Task AwaitAnswerAsync(PendingRequest? owned, Task answer, CancellationToken cancellationToken)
    {
        try
        {
            await answer.WaitAsync(_options.SendTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is TimeoutException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                                   && !answer.IsCompleted)
        {
            if (owned is not null && Withdraw(owned)) owned.OnError?.Invoke(ex);
            if (ex is TimeoutException)
                throw new TimeoutException($"No answer to {owned?.Type ?? "subscribe"} within {_options.SendTimeout.TotalSeconds:0.#} s " +
                    $"(the client is {State.ToString().ToLowerInvariant()}); raise RealtimeClientOptions.SendTimeout or check the server.", ex);
            throw;
        }
    }

    private bool Withdraw(PendingRequest request)
    {
        lock (_gate) return _pending.Remove(request.Id);
    }

    private Task SendRequestAsync(WebSocketClient socket, PendingRequest request) => SendFrameAsync(socket, w =>
    {
        w.WriteString("type", request.Type);
        w.WriteNumber("id", request.Id);
        request.WriteFields?.Invoke(w);
    });

    /// <summary>
    /// Sends one JSON object, as the MessagePack map with the same keys on a <c>wirehub.v1.msgpack</c> connection. A
    /// failure means the connection is going: unanswered requests are sent again after reconnecting.
    /// </summary>
    private static async Task SendFrameAsync(WebSocketClient socket, Action<Utf8JsonWriter> write)
    {
        var frame = PooledFrameBuffer.WriteObject(write);
        var type = MessageType.Text;
        if (IsMessagePack(socket))
        {
            frame = MessagePackFrames.FromJson(frame);
            type = MessageType.Binary;
        }
        try
        {
            await socket.SendAsync(frame.WrittenMemory, type).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketClosedException or WebSocketSendQueueFullException or InvalidOperationException
                                       or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            frame.Dispose();
        }
    }

    /// <summary>Handles one frame from the server (its JSON), on the receive loop.</summary>
    private void Dispatch(WebSocketClient socket, ReadOnlySequence<byte> data)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return; // not JSON: nothing in it can be acted on
        }
        using (document)
        {
            var frame = document.RootElement;
            if (frame.ValueKind != JsonValueKind.Object) return;
            // Compared as UTF-8 in place: no string per frame just to learn its type.
            if (!frame.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) return;
            if (type.ValueEquals("message"u8)) OnMessage(frame);
            else if (type.ValueEquals("presence.event"u8)) OnPresenceEvent(frame);
            else if (type.ValueEquals("ping"u8)) _ = SendFrameAsync(socket, static w => w.WriteString("type"u8, "pong"u8));
            else if (type.ValueEquals("refresh_required"u8)) _ = RefreshTokenAsync();
            else if (ServerFrameReader.GetInt64(frame, "id") is { } id) OnAnswer(id, type.ValueEquals("error"u8), frame);
        }
    }

    private void OnAnswer(long id, bool isError, JsonElement frame)
    {
        PendingRequest? request;
        lock (_gate)
        {
            if (!_pending.Remove(id, out request)) return; // answered already on an earlier connection, or given up on
        }
        if (isError)
        {
            var error = ServerFrameReader.ReadError(frame);
            request.OnError?.Invoke(error);
            request.Completion.TrySetException(error);
        }
        else
        {
            request.OnReply?.Invoke(frame);
            request.Completion.TrySetResult(frame.Clone());
        }
    }

    private void OnMessage(JsonElement frame)
    {
        if (!frame.TryGetProperty("channel", out var channelValue) || channelValue.ValueKind != JsonValueKind.String
            || ServerFrameReader.GetInt64(frame, "serial") is not { } serial
            || !frame.TryGetProperty("epoch", out var epochValue) || epochValue.ValueKind != JsonValueKind.String) return;
        Action<ChannelMessage>? handlers;
        string epoch;
        RealtimeChannel? channel;
        lock (_gate)
        {
            if (!TryGetChannel(channelValue, out channel) || channel.SubscriptionState != ChannelSubscriptionState.Subscribed) return;
            bool sameEpoch = channel.LastPosition is { } last && epochValue.ValueEquals(last.Epoch);
            // Exactly once across reconnects: a recovered or replayed message already delivered is dropped.
            if (sameEpoch && serial <= channel.LastPosition!.Value.Serial) return;
            epoch = sameEpoch ? channel.LastPosition!.Value.Epoch : epochValue.GetString()!;
            channel.LastPosition = new StreamPosition(serial, epoch);
            handlers = channel.Handlers;
        }
        if (handlers is null) return;
        var message = ServerFrameReader.ReadMessage(frame, channel.Name, epoch);
        if (handlers.HasSingleTarget)
        {
            Deliver(handlers, message);
            return;
        }
        foreach (var handler in handlers.GetInvocationList()) Deliver((Action<ChannelMessage>)handler, message);
    }

    /// <summary>Finds a channel by the name in a frame without allocating a string for it (names are short ASCII).</summary>
    private bool TryGetChannel(JsonElement name, [NotNullWhen(true)] out RealtimeChannel? channel)
    {
        var raw = JsonMarshal.GetRawUtf8Value(name); // with its quotes
        if (raw.Length is >= 3 and <= 257 && raw.IndexOf((byte)'\\') < 0)
        {
            Span<char> chars = stackalloc char[raw.Length - 2];
            int n = Encoding.UTF8.GetChars(raw[1..^1], chars);
            return _channelsByName.TryGetValue(chars[..n], out channel);
        }
        return _channels.TryGetValue(name.GetString()!, out channel);
    }

    private static void Deliver(Action<ChannelMessage> handler, ChannelMessage message)
    {
        try { handler(message); }
        catch (Exception) { /* one faulty handler must not stop delivery to the others */ }
    }

    private void OnPresenceEvent(JsonElement frame)
    {
        if (ServerFrameReader.GetString(frame, "channel") is not { } name
            || !frame.TryGetProperty("member", out var member) || member.ValueKind != JsonValueKind.Object) return;
        PresenceAction? action = ServerFrameReader.GetString(frame, "action") switch
        {
            "enter" => PresenceAction.Enter,
            "update" => PresenceAction.Update,
            "leave" => PresenceAction.Leave,
            _ => null,
        };
        if (action is null) return;
        RealtimeChannel? channel;
        lock (_gate)
        {
            if (!_channels.TryGetValue(name, out channel) || channel.SubscriptionState == ChannelSubscriptionState.Unsubscribed) return;
        }
        channel.RaisePresenceChanged(new PresenceChangedEventArgs(action.Value, ServerFrameReader.ReadMember(member)));
    }

    /// <summary>Answers <c>refresh_required</c> with a token from the provider; without one, the server's 4002 ends the client.</summary>
    private async Task RefreshTokenAsync()
    {
        if (_options.TokenProvider is not { } provider) return;
        try
        {
            string token = await provider(_lifetime.Token).ConfigureAwait(false);
            lock (_gate) _token = token;
            var request = new PendingRequest("refresh", w => w.WriteString("token", token), ReconnectBehaviour.CompleteWithoutAnswer);
            await RequestAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // If the refresh fails the server closes with 4002 when the token expires, and the reconnect asks again.
        }
    }
}
