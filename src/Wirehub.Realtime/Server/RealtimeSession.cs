using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server;

/// <summary>One connected WebSocket speaking <c>wirehub.v1</c>: its session state, subscriptions and outgoing frames.</summary>
internal sealed partial class RealtimeSession(RealtimeHub hub, WebSocketConnection connection)
{
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private TokenBucket? _publishRate;

    public WebSocketConnection Connection { get; } = connection;
    public SessionState? State { get; private set; }
    public bool IsConnected => State is not null;

    /// <summary>Queues a frame shared by many connections; a full queue has already closed the connection with 1008.</summary>
    public void Push(PreparedMessage message)
    {
        try
        {
            var sending = Connection.SendAsync(message);
            if (!sending.IsCompletedSuccessfully) _ = ObserveAsync(sending);
        }
        catch (WebSocketSendQueueFullException)
        {
            // SendQueueFullPolicy.Close: the engine dropped the backlog and is closing with 1008.
        }
        catch (WebSocketClosedException)
        {
        }
    }

    private static async Task ObserveAsync(ValueTask sending)
    {
        try { await sending.ConfigureAwait(false); }
        catch (Exception ex) when (ex is WebSocketClosedException or WebSocketSendQueueFullException or IOException or OperationCanceledException) { }
    }

    private async ValueTask SendAsync(PooledFrame frame)
    {
        using (frame)
        {
            try
            {
                await Connection.SendAsync(frame.Memory, MessageType.Text).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketClosedException or WebSocketSendQueueFullException) { }
        }
    }

    /// <summary>Reads and answers frames until the connection closes; then detaches the session for recovery.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        var options = hub.Options;
        using var connectDeadline = new CancellationTokenSource(options.ConnectTimeout, hub.Time);
        connectDeadline.Token.Register(() =>
        {
            if (!IsConnected) _ = Connection.CloseOutputAsync(CloseCode.Unauthorized, "No connect frame within the connect timeout.").AsTask()
                .ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        });
        var requestRate = new TokenBucket(options.RequestRate, hub.Time);
        int refusedInARow = 0;
        bool leftForGood = false;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                WebSocketMessage message;
                try { message = await Connection.ReceiveAsync(aborted).ConfigureAwait(false); }
                catch (Exception ex) when (ex is WebSocketClosedException or WebSocketProtocolException or IOException or OperationCanceledException)
                {
                    break;
                }
                if (message.Type == MessageType.Close)
                {
                    // A client that closes with 1000 is done: nothing to recover, so its presence leaves at once.
                    leftForGood = Connection.CloseStatus == Wirehub.Protocol.CloseStatus.NormalClosure;
                    break;
                }
                if (!requestRate.TryTake())
                {
                    if (++refusedInARow >= options.RequestRate)
                    {
                        await Connection.CloseAsync(Wirehub.Protocol.CloseStatus.TryAgainLater,
                            "Too many frames: the connection kept exceeding its message rate.").ConfigureAwait(false);
                        break;
                    }
                    long? refusedId = null;
                    if (message.Type == MessageType.Text)
                        try { ClientFrameParser.Parse(message.Data, int.MaxValue, out refusedId); } catch (ProtocolError) { }
                    await SendAsync(ServerFrameWriter.Error(refusedId, ErrorCode.RateLimited,
                        $"Message rate exceeded: at most {options.RequestRate} frames per second.")).ConfigureAwait(false);
                    continue;
                }
                refusedInARow = 0;
                if (message.Type == MessageType.Binary)
                {
                    await SendAsync(ServerFrameWriter.Error(null, ErrorCode.BadRequest,
                        "Binary frames are reserved for wirehub.v1.msgpack: send JSON in text frames.")).ConfigureAwait(false);
                    continue;
                }
                ClientFrame frame;
                long? id = null;
                try
                {
                    // The id is set as soon as it is read, so a refused request still gets its id in the error.
                    frame = ClientFrameParser.Parse(message.Data, options.MaxMessageSize, out id);
                }
                catch (ProtocolError error)
                {
                    if (!IsConnected && error.Code == ErrorCode.BadRequest && LooksLikeConnect(message))
                    {
                        await Connection.CloseAsync(CloseCode.Unauthorized, "Malformed connect: " + error.Message).ConfigureAwait(false);
                        break;
                    }
                    await SendAsync(ServerFrameWriter.Error(id, error.Code, error.Message, error.Reason)).ConfigureAwait(false);
                    continue;
                }
                try
                {
                    if (!await HandleAsync(frame).ConfigureAwait(false)) break;
                }
                catch (ProtocolError error)
                {
                    await SendAsync(ServerFrameWriter.Error(frame.Id, error.Code, error.Message, error.Reason)).ConfigureAwait(false);
                }
                catch (Broker.BrokerUnavailableException)
                {
                    await SendAsync(ServerFrameWriter.Error(frame.Id, ErrorCode.Unavailable,
                        "The broker is unavailable; nothing was published. Retry later.")).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            StopExpiryTimer();
            await hub.DetachAsync(this, _subscriptions.Values.ToArray(), leftForGood).ConfigureAwait(false);
        }
    }

    private static bool LooksLikeConnect(WebSocketMessage message)
    {
        var reader = new System.Text.Json.Utf8JsonReader(message.Data);
        try
        {
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType) return reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueTextEquals("connect"u8);
                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException) { }
        return false;
    }
}
