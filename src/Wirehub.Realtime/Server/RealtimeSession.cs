using Wirehub.Realtime.Protocol;
using Wirehub.Realtime.Server.Transports;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server;

/// <summary>
/// One <c>wirehub.v1</c> connection: its session state, subscriptions and outgoing frames, over any
/// <see cref="IRealtimeTransport"/> (a WebSocket or an HTTP fallback). Without an <paramref name="encoding"/>, the
/// transport's applies.
/// </summary>
internal sealed partial class RealtimeSession(RealtimeHub hub, IRealtimeTransport transport, FrameEncoding? encoding = null)
{
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private TokenBucket? _publishRate;

    /// <summary>A session over one WebSocket connection.</summary>
    public RealtimeSession(RealtimeHub hub, WebSocketConnection connection) : this(hub, new WebSocketTransport(connection))
    {
    }

    public IRealtimeTransport Transport { get; } = transport;

    /// <summary>JSON, or MessagePack on a WebSocket that agreed on <c>wirehub.v1.msgpack</c>; the fallbacks are JSON only.</summary>
    public FrameEncoding Encoding { get; } = encoding ?? (transport is WebSocketTransport webSocket ? webSocket.Encoding : FrameEncoding.Json);
    public SessionState? State { get; private set; }
    public bool IsConnected => State is not null;

    /// <summary>
    /// The connection that takes this session's shared JSON frames as they are (a WebSocket speaking JSON), or null when
    /// they go through <see cref="Push"/>. Fan-out hands frames to it directly: one object fewer per subscriber.
    /// </summary>
    public WebSocketConnection? SharedFrameTarget =>
        Transport is WebSocketTransport webSocket && Encoding == FrameEncoding.Json ? webSocket.Connection : null;

    /// <summary>Queues a frame shared by many connections; a full queue has already closed the connection with 1008.</summary>
    public void Push(PreparedMessage message) =>
        Transport.Send(Encoding == FrameEncoding.MessagePack ? MessagePackServerFrames.Convert(message) : message);

    private ValueTask SendAsync(PooledFrame frame) =>
        Transport.SendAsync(Encoding == FrameEncoding.MessagePack ? MessagePackServerFrames.Convert(frame) : frame);

    /// <summary>The frame type this connection's encoding reads: text for JSON, binary for MessagePack.</summary>
    private MessageType FrameType => Encoding == FrameEncoding.MessagePack ? MessageType.Binary : MessageType.Text;

    private ClientFrame Parse(TransportMessage message, int maxDataSize, out long? id) => Encoding == FrameEncoding.MessagePack
        ? MessagePackClientFrameParser.Parse(message.Data, maxDataSize, out id)
        : ClientFrameParser.Parse(message.Data, maxDataSize, out id);

    /// <summary>Bytes that may wait for this client before it is a slow consumer.</summary>
    public long SendQueueLimit => hub.Options.SendQueueLimit;

    /// <summary>
    /// Waits while more than half the send-queue bound waits for the client, so a replay larger than the bound goes at
    /// the client's pace instead of overflowing the queue (which would close the connection with 1008), and live
    /// frames of other channels keep room behind it.
    /// </summary>
    public ValueTask WaitForSendRoomAsync() => QueuedBytes <= SendQueueLimit / 2 ? default : PollForSendRoomAsync();

    // Neither the engine (under SendQueueFullPolicy.Close) nor the fallbacks signal a drain, so a replay ahead of its
    // client polls, backing off.
    private async ValueTask PollForSendRoomAsync()
    {
        int delayMs = 1;
        while (QueuedBytes > SendQueueLimit / 2)
        {
            await Task.Delay(delayMs).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 100);
        }
    }

    /// <summary>What waits for the client, on any transport (a closed one counts nothing).</summary>
    private long QueuedBytes => Transport.QueuedBytes;

    /// <summary>Closes with 1008: live messages piled up beyond the send-queue bound behind a replay the client is not reading.</summary>
    public void CloseAsSlowConsumer() =>
        Transport.CloseOutput(Wirehub.Protocol.CloseStatus.PolicyViolation, "Slow consumer: the send queue exceeded its limit.");

    /// <summary>Reads and answers frames until the connection closes; then detaches the session for recovery.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        var options = hub.Options;
        using var connectDeadline = new CancellationTokenSource(options.ConnectTimeout, hub.Time);
        connectDeadline.Token.Register(() =>
        {
            if (!IsConnected) Transport.CloseOutput(CloseCode.Unauthorized, "No connect frame within the connect timeout.");
        });
        var requestRate = new TokenBucket(options.RequestRate, hub.Time);
        int refusedInARow = 0;
        bool leftForGood = false;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                var message = await Transport.ReceiveAsync(aborted).ConfigureAwait(false);
                if (message.Type == MessageType.Close)
                {
                    // A client that closes with 1000 is done: nothing to recover, so its presence leaves at once.
                    leftForGood = message.ClosedByClient;
                    break;
                }
                if (!requestRate.TryTake())
                {
                    if (++refusedInARow >= options.RequestRate)
                    {
                        Diagnostics.RealtimeMetrics.Record(Diagnostics.ShedReason.RequestRate);
                        Diagnostics.RealtimeLog.RequestRateShed(hub.Logger, State?.ConnectionId, options.RequestRate);
                        await Transport.CloseAsync(Wirehub.Protocol.CloseStatus.TryAgainLater,
                            "Too many frames: the connection kept exceeding its message rate.").ConfigureAwait(false);
                        break;
                    }
                    long? refusedId = null;
                    if (message.Type == FrameType)
                        try { Parse(message, int.MaxValue, out refusedId); } catch (ProtocolError) { }
                    await SendAsync(ServerFrameWriter.Error(refusedId, ErrorCode.RateLimited,
                        $"Message rate exceeded: at most {options.RequestRate} frames per second.")).ConfigureAwait(false);
                    continue;
                }
                refusedInARow = 0;
                if (message.Type != FrameType)
                {
                    await SendAsync(ServerFrameWriter.Error(null, ErrorCode.BadRequest, Encoding == FrameEncoding.MessagePack
                        ? "Text frames are not read on a wirehub.v1.msgpack connection: send each frame as one MessagePack map in a binary frame."
                        : "Binary frames are reserved for wirehub.v1.msgpack: send JSON in text frames.")).ConfigureAwait(false);
                    continue;
                }
                ClientFrame frame;
                long? id = null;
                try
                {
                    // The id is set as soon as it is read, so a refused request still gets its id in the error.
                    frame = Parse(message, options.MaxMessageSize, out id);
                }
                catch (ProtocolError error)
                {
                    if (!IsConnected && error.Code == ErrorCode.BadRequest && LooksLikeConnect(message))
                    {
                        await Transport.CloseAsync(CloseCode.Unauthorized, "Malformed connect: " + error.Message).ConfigureAwait(false);
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
            if (State is { } ended) Diagnostics.RealtimeLog.SessionEnded(hub.Logger, ended.ConnectionId, ended.ClientId, leftForGood);
            await hub.DetachAsync(this, _subscriptions.Values.ToArray(), leftForGood).ConfigureAwait(false);
        }
    }

    private bool LooksLikeConnect(TransportMessage message)
    {
        if (Encoding == FrameEncoding.MessagePack) return MessagePackClientFrameParser.LooksLikeConnect(message.Data);
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
