using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

public sealed partial class WebSocketConnection
{
    private enum Step { NeedMoreData, Message, Closed }

    private ReadOnlySequence<byte> _buffer;
    private bool _hasBuffer;
    private bool _readCompleted;
    private int _receiving;
    private long _lastReceiveTicks;

    // The data frame being read.
    private bool _inFrame;
    private long _frameRemaining;
    private int _frameMaskKey;
    private bool _frameMasked;
    private long _frameMaskOffset;
    private bool _frameFin;

    // The data message being read.
    private bool _messageInProgress;
    private bool _messageStreamed; // the message in progress is being received piece by piece
    private MessageType _messageType;
    private bool _messageCompressed;
    private long _messageLength;
    private Utf8Validator _utf8;
    // Created by the first message that needs assembling (fragmented, split across buffers or compressed): idle
    // connections and those that only see simple messages never hold one.
    private MessageBuffer? _messageBuffer;

    private MessageBuffer MessageAssembly => _messageBuffer ??= new();

    // Set once a close frame was received or the connection failed: nothing more is read after that.
    private bool _receiveDone;
    private TaskCompletionSource? _closeReceived;

    /// <summary>
    /// Receives the next whole message. Pings are answered and the closing handshake is completed on the way; once the
    /// connection has closed, returns a message of type <see cref="MessageType.Close"/> (see <see cref="CloseStatus"/>).
    /// The payload is valid until the next receive call.
    /// </summary>
    public ValueTask<WebSocketMessage> ReceiveAsync(CancellationToken cancellationToken = default) =>
        ReceiveCoreAsync(wholeMessage: true, cancellationToken);

    /// <summary>
    /// Receives the next piece of a message as it arrives, without assembling it: suited to messages too large to
    /// hold. <see cref="WebSocketMessage.EndOfMessage"/> marks the last piece. The payload is valid until the next
    /// receive call.
    /// </summary>
    public ValueTask<WebSocketMessage> ReceiveFragmentAsync(CancellationToken cancellationToken = default) =>
        ReceiveCoreAsync(wholeMessage: false, cancellationToken);

    /// <summary>Receives whole messages until the connection closes (the close itself is not yielded).</summary>
    public async IAsyncEnumerable<WebSocketMessage> ReadAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var message = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (message.IsClose) yield break;
            yield return message;
        }
    }

    private ValueTask<WebSocketMessage> ReceiveCoreAsync(bool wholeMessage, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _receiving, 1) != 0)
            throw new InvalidOperationException("Another receive is already in progress on this connection: receive from one loop at a time.");
        bool handedOff = false;
        try
        {
            if (_messageInProgress && _messageStreamed == wholeMessage)
            {
                // Switching mode mid-message would lose data: streamed pieces are not kept, and a piece receive would
                // drop what a cancelled whole-message receive had assembled.
                throw new InvalidOperationException(_messageStreamed
                    ? "A message is being received piece by piece: receive its remaining pieces with ReceiveFragmentAsync (until EndOfMessage) before calling ReceiveAsync."
                    : "A message was partly assembled by a cancelled ReceiveAsync: call ReceiveAsync again to finish it before calling ReceiveFragmentAsync.");
            }
            if (!_messageInProgress) _messageStreamed = !wholeMessage;
            if (!wholeMessage || !_messageInProgress) _messageBuffer?.Clear();
            if (_receiveDone) return new(WebSocketMessage.Closed);
            // Fast path: a message already buffered is returned without an await.
            if (_hasBuffer)
            {
                var step = Process(wholeMessage, out var message);
                if (step == Step.Message) return new(message);
                if (step == Step.Closed) { handedOff = true; return FinishClosedAsync(); }
            }
            handedOff = true;
            return ReceiveSlowAsync(wholeMessage, cancellationToken);
        }
        finally
        {
            if (!handedOff) ExitReceive();
        }
    }

    private void ExitReceive()
    {
        if (_messageBuffer is { WrittenCount: 0 } assembled) assembled.Release();
        Volatile.Write(ref _receiving, 0);
        if (Volatile.Read(ref _transportShut) != 0 && _receiveDone) { CompleteReader(); TryReleaseDeflate(); }
    }

    // Pooled: a receive that has to wait for the socket (most of them under load) would otherwise allocate its state machine.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<WebSocketMessage> ReceiveSlowAsync(bool wholeMessage, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (_hasBuffer)
                {
                    var step = Process(wholeMessage, out var message);
                    if (step == Step.Message) return message;
                    if (step == Step.Closed) return await FinishClosedCoreAsync().ConfigureAwait(false);
                    if (_readCompleted)
                    {
                        Dropped(_buffer.Length == 0 && !_inFrame ? "The peer closed the TCP connection without a close frame."
                            : "The peer closed the TCP connection in the middle of a frame.");
                        return await FinishClosedCoreAsync().ConfigureAwait(false);
                    }
                    _reader.AdvanceTo(_buffer.Start, _buffer.End);
                    _hasBuffer = false;
                }
                if (Volatile.Read(ref _transportShut) != 0)
                {
                    Dropped("The connection was aborted.");
                    return await FinishClosedCoreAsync().ConfigureAwait(false);
                }
                ReadResult result;
                try
                {
                    result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException
                                               or System.Net.Sockets.SocketException or Microsoft.AspNetCore.Connections.ConnectionResetException)
                {
                    Dropped($"The connection broke: {ex.Message}");
                    return await FinishClosedCoreAsync().ConfigureAwait(false);
                }
                _lastReceiveTicks = Environment.TickCount64;
                _pingSentTicks = 0;
                _buffer = result.Buffer;
                _hasBuffer = true;
                if (result.IsCompleted) _readCompleted = true;
                if (result.IsCanceled && Volatile.Read(ref _transportShut) != 0)
                {
                    Dropped("The connection was aborted.");
                    return await FinishClosedCoreAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ExitReceive();
        }
    }

    private async ValueTask<WebSocketMessage> FinishClosedAsync()
    {
        try { return await FinishClosedCoreAsync().ConfigureAwait(false); }
        finally { ExitReceive(); }
    }

    /// <summary>
    /// After the close frame (or a failure): a client waits for the server to close TCP first (RFC 6455 §7.1.1);
    /// a connection that failed drains the peer's input until its close frame or end, so our close frame is not lost to
    /// a TCP reset; then the transport is shut.
    /// </summary>
    private async ValueTask<WebSocketMessage> FinishClosedCoreAsync()
    {
        _receiveDone = true;
        // A client waits for the server's FIN; a server that failed the connection waits for the peer's close frame,
        // unless the peer already sent one (the failure was about that very close frame).
        bool waitForPeer = !_readCompleted && Volatile.Read(ref _transportShut) == 0
            && (_role == WebSocketRole.Client || (_failed && !_peerCloseSeen));
        if (waitForPeer)
        {
            using var timeout = new CancellationTokenSource(_options.CloseTimeout);
            try
            {
                // Skip the rest of the frame being read, then walk whole frames (read across as many reads as it
                // takes) until the peer's close frame or the end of the stream.
                long skip = _inFrame ? _frameRemaining : 0;
                var buffer = _hasBuffer ? _buffer : default;
                bool haveBuffer = _hasBuffer;
                _hasBuffer = false;
                while (true)
                {
                    bool completed = false;
                    if (!haveBuffer)
                    {
                        var result = await _reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                        buffer = result.Buffer;
                        completed = result.IsCompleted || result.IsCanceled;
                    }
                    haveBuffer = false;
                    // A peer may abandon the frame we failed on and send its close at once: accept a close frame
                    // right here as well as one after the rest of that frame.
                    if (skip > 0 && _role == WebSocketRole.Server && FrameHeader.TryRead(buffer, out var abandoned) == FrameReadStatus.Complete
                        && abandoned.Opcode == Opcode.Close && abandoned.Fin && abandoned.Masked && abandoned.PayloadLength <= 125)
                    {
                        _reader.AdvanceTo(buffer.End);
                        break;
                    }
                    long skipped = Math.Min(skip, buffer.Length);
                    skip -= skipped;
                    var rest = buffer.Slice(skipped);
                    bool sawClose = false;
                    if (skip == 0)
                    {
                        while (FrameHeader.TryRead(rest, out var header) == FrameReadStatus.Complete)
                        {
                            if (header.Opcode == Opcode.Close && _role == WebSocketRole.Server) { sawClose = true; break; }
                            long size = header.Length + header.PayloadLength;
                            if (rest.Length < size)
                            {
                                skip = size - rest.Length;
                                rest = rest.Slice(rest.End);
                                break;
                            }
                            rest = rest.Slice(size);
                        }
                    }
                    _reader.AdvanceTo(rest.Start, buffer.End);
                    if (completed || sawClose) break;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException
                                           or System.Net.Sockets.SocketException or Microsoft.AspNetCore.Connections.ConnectionResetException)
            {
                // The peer did not close in time or the connection broke: close our side regardless.
            }
        }
        else if (_hasBuffer)
        {
            _reader.AdvanceTo(_buffer.End);
            _hasBuffer = false;
        }
        await WaitForSendsAsync().ConfigureAwait(false);
        Volatile.Write(ref _state, (int)WebSocketState.Closed);
        ShutdownTransport(abortive: false);
        _closeReceived?.TrySetResult();
        return WebSocketMessage.Closed;
    }

    private bool _failed;

    /// <summary>True when this side failed the connection because the peer broke the protocol.</summary>
    internal bool FailedLocally => _failed;
    private bool _peerCloseSeen;

    private void Dropped(string reason)
    {
        _readCompleted = true;
        RecordClose(CloseCode.AbnormalClosure, reason);
    }

    /// <summary>Parses as much of the buffered input as it can: runs of frames with no awaits and no copies.</summary>
    private Step Process(bool wholeMessage, out WebSocketMessage message)
    {
        var buffer = _buffer;
        Span<byte> control = stackalloc byte[125];
        while (true)
        {
            if (!_inFrame)
            {
                var status = FrameHeader.TryRead(buffer, out var header);
                if (status == FrameReadStatus.NeedMoreData) { _buffer = buffer; message = default; return Step.NeedMoreData; }
                if (status == FrameReadStatus.InvalidLength)
                {
                    _buffer = buffer;
                    message = default;
                    return Fail(CloseCode.ProtocolError, "A 64-bit payload length must have its most significant bit clear.");
                }
                // A compressed frame may exceed the frame limit by deflate's worst-case growth (zlib's deflateBound), so a
                // message within the limits is never refused for compressing badly.
                long frameLimit = header.Rsv1 || (_messageInProgress && _messageCompressed && header.Opcode == Opcode.Continuation)
                    ? _options.MaxFrameSize + (_options.MaxFrameSize >> 12) + (_options.MaxFrameSize >> 14) + 64
                    : _options.MaxFrameSize;
                var error = FrameRules.Check(header, _role, rsv1Allowed: _deflate is not null, _messageInProgress, frameLimit);
                if (error != FrameError.None)
                {
                    _buffer = buffer;
                    message = default;
                    return Fail(error.CloseCode(), error.Describe());
                }
                long frameSize = header.Length + header.PayloadLength;
                if (header.Opcode.IsControl())
                {
                    if (buffer.Length < frameSize) { _buffer = buffer; message = default; return Step.NeedMoreData; }
                    var payload = control[..(int)header.PayloadLength];
                    buffer.Slice(header.Length, header.PayloadLength).CopyTo(payload);
                    if (header.Masked) FrameMask.Apply(payload, header.MaskKey);
                    buffer = buffer.Slice(frameSize);
                    _buffer = buffer;
                    if (_metered) TrafficCounters.BytesReceived(frameSize);
                    if (HandleControlFrame(header.Opcode, payload) == Step.Closed) { message = default; return Step.Closed; }
                    continue;
                }
                // A data frame's header is read once (a control frame's again until the whole frame is buffered).
                if (_metered) TrafficCounters.BytesReceived(frameSize);
                if (header.Opcode != Opcode.Continuation)
                {
                    _messageInProgress = true;
                    _messageType = header.Opcode == Opcode.Text ? MessageType.Text : MessageType.Binary;
                    _messageCompressed = header.Rsv1;
                    _messageLength = 0;
                    _utf8.Reset();
                }
                if (!_messageCompressed && _messageLength + header.PayloadLength > _options.MaxMessageSize)
                {
                    _buffer = buffer;
                    message = default;
                    return Fail(CloseCode.MessageTooBig, "The message exceeds the maximum message size.");
                }
                // Fast path: a whole uncompressed message in one frame, already buffered: unmask it in place and hand
                // out the pipe's own memory.
                if (wholeMessage && header.Fin && header.Opcode != Opcode.Continuation && !header.Rsv1 && buffer.Length >= frameSize)
                {
                    var payload = buffer.Slice(header.Length, header.PayloadLength);
                    if (header.Masked) Unmask(payload, header.MaskKey, 0);
                    if (_messageType == MessageType.Text && !IsValidUtf8(payload))
                    {
                        _buffer = buffer.Slice(frameSize);
                        message = default;
                        return Fail(CloseCode.InvalidPayloadData, "A text message is not valid UTF-8.");
                    }
                    _messageInProgress = false;
                    _buffer = buffer.Slice(frameSize);
                    if (_metered) TrafficCounters.MessageReceived();
                    message = new WebSocketMessage(_messageType, payload, endOfMessage: true);
                    return Step.Message;
                }
                _inFrame = true;
                _frameRemaining = header.PayloadLength;
                _frameMasked = header.Masked;
                _frameMaskKey = header.MaskKey;
                _frameMaskOffset = 0;
                _frameFin = header.Fin;
                buffer = buffer.Slice(header.Length);
            }

            // Inside a data frame: consume whatever part of its payload has arrived.
            long take = Math.Min(_frameRemaining, buffer.Length);
            if (take == 0 && _frameRemaining > 0) { _buffer = buffer; message = default; return Step.NeedMoreData; }
            var chunk = buffer.Slice(0, take);
            buffer = buffer.Slice(take);
            _buffer = buffer;
            if (_frameMasked) Unmask(chunk, _frameMaskKey, _frameMaskOffset);
            _frameMaskOffset += take;
            _frameRemaining -= take;
            bool frameDone = _frameRemaining == 0;
            bool messageDone = frameDone && _frameFin;
            if (frameDone) _inFrame = false;

            ReadOnlySequence<byte> produced;
            if (_messageCompressed)
            {
                int before = MessageAssembly.WrittenCount;
                var status = Inflate(chunk, messageDone, _options.MaxMessageSize - _messageLength);
                if (status == InflateStatus.TooLarge) { message = default; return Fail(CloseCode.MessageTooBig, "The message exceeds the maximum message size once inflated."); }
                if (status == InflateStatus.InvalidData) { message = default; return Fail(CloseCode.InvalidPayloadData, "The compressed message is not valid deflate data."); }
                var inflated = MessageAssembly.WrittenMemory[before..];
                if (_messageType == MessageType.Text && !_utf8.TryAppend(inflated.Span)) { message = default; return Fail(CloseCode.InvalidPayloadData, "A text message is not valid UTF-8."); }
                _messageLength += inflated.Length;
                produced = new ReadOnlySequence<byte>(inflated);
            }
            else
            {
                if (_messageType == MessageType.Text && !_utf8.TryAppend(chunk)) { message = default; return Fail(CloseCode.InvalidPayloadData, "A text message is not valid UTF-8."); }
                _messageLength += take;
                if (wholeMessage) foreach (var segment in chunk) MessageAssembly.Write(segment.Span);
                produced = chunk;
            }
            if (messageDone)
            {
                if (_messageType == MessageType.Text && !_utf8.IsComplete) { message = default; return Fail(CloseCode.InvalidPayloadData, "A text message ends inside a UTF-8 sequence."); }
                _messageInProgress = false;
                if (_metered) TrafficCounters.MessageReceived();
            }
            if (!wholeMessage && (produced.Length > 0 || messageDone))
            {
                message = new WebSocketMessage(_messageType, produced, messageDone);
                return Step.Message;
            }
            if (messageDone)
            {
                message = new WebSocketMessage(_messageType, new ReadOnlySequence<byte>(MessageAssembly.WrittenMemory), endOfMessage: true);
                return Step.Message;
            }
        }
    }

    private InflateStatus Inflate(ReadOnlySequence<byte> chunk, bool endOfMessage, long budget)
    {
        if (chunk.IsSingleSegment) return _deflate!.Decompress(chunk.FirstSpan, endOfMessage, MessageAssembly, budget);
        int start = MessageAssembly.WrittenCount;
        var segments = chunk.GetEnumerator();
        bool more = segments.MoveNext();
        while (more)
        {
            var segment = segments.Current;
            more = segments.MoveNext();
            var status = _deflate!.Decompress(segment.Span, endOfMessage && !more, MessageAssembly, budget - (MessageAssembly.WrittenCount - start));
            if (status != InflateStatus.Ok) return status;
        }
        return InflateStatus.Ok;
    }

    private static void Unmask(ReadOnlySequence<byte> payload, int maskKey, long offset)
    {
        foreach (var segment in payload)
        {
            FrameMask.Apply(MemoryMarshal.AsMemory(segment).Span, maskKey, offset);
            offset += segment.Length;
        }
    }

    private static bool IsValidUtf8(ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment) return Utf8Validator.IsValid(payload.FirstSpan);
        var validator = new Utf8Validator();
        return validator.TryAppend(payload) && validator.IsComplete;
    }

    private Step HandleControlFrame(Opcode opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case Opcode.Ping:
                if (_options.AutoPong && TrySendControl(Opcode.Pong, payload)) _ = FlushLoop();
                return Step.NeedMoreData;
            case Opcode.Pong:
                return Step.NeedMoreData;
            default:
                return HandleCloseFrame(payload);
        }
    }

    private Step HandleCloseFrame(ReadOnlySpan<byte> payload)
    {
        _peerCloseSeen = true;
        switch (ClosePayload.TryRead(payload, out ushort code, out var reasonBytes))
        {
            case ClosePayloadStatus.Valid:
                RecordClose(code, System.Text.Encoding.UTF8.GetString(reasonBytes));
                break;
            case ClosePayloadStatus.Empty:
                RecordClose(CloseCode.NoStatusReceived, null);
                code = 0;
                break;
            case ClosePayloadStatus.InvalidReason:
                return Fail(CloseCode.InvalidPayloadData, "The close reason is not valid UTF-8.");
            case ClosePayloadStatus.InvalidCode:
                return Fail(CloseCode.ProtocolError, "The close frame carries a status code that is not valid on the wire.");
            default:
                return Fail(CloseCode.ProtocolError, "The close frame payload must be empty or at least 2 bytes long.");
        }
        Volatile.Write(ref _state, (int)WebSocketState.Closing);
        // Echo the peer's code (RFC 6455 §5.5.1); an empty close is answered with an empty close.
        if (code == 0) TrySendClose(0, default);
        else TrySendClose(code, default);
        return Step.Closed;
    }

    /// <summary>Fails the connection (RFC 6455 §7.1.7): records the reason and sends a close frame with the code.</summary>
    private Step Fail(ushort code, string reason)
    {
        _failed = true;
        RecordClose(code, reason);
        Volatile.Write(ref _state, (int)WebSocketState.Closing);
        TrySendClose(code, reason);
        return Step.Closed;
    }
}
