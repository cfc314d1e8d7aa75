using System.Buffers;
using System.IO.Pipelines;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

public sealed partial class WebSocketConnection
{
    // Created when a send first finds the writer busy: many connections never queue anything.
    private SendQueue? _sendQueue;

    private SendQueue Queue => _sendQueue ??= new();

    private bool QueueIsEmpty => _sendQueue is null || _sendQueue.IsEmpty;

    private long QueuedBytes => _sendQueue?.Bytes ?? 0;
    // Guards the queue, the writer and the send-side state below. A Lock, not a Monitor on an object: fan-out takes it
    // once or twice per delivery, and its uncontended path is a managed compare-and-swap.
    private readonly Lock _sendLock = new();
    // Created by the first compressed send.
    private MessageBuffer? _compressedBuffer;
    // True while one sender owns the pipe writer (writing or flushing); the others queue behind it.
    private bool _writerBusy;
    private long _unflushedBytes;
    private long _bufferedBytes;
    private bool _completeWriterWhenIdle;
    private bool _sendClosed;
    private bool _closeSent;
    private long _closingSinceTicks;
    private bool _sendMessageInProgress;
    private MessageType _sendMessageType;
    private bool _sendCompressed;
    private TaskCompletionSource? _spaceAvailable;
    private TaskCompletionSource? _sendIdle;

    private enum SendOutcome { Done, Flushing, MustWait }

    /// <summary>
    /// Sends a message, or one fragment of a message when <paramref name="endOfMessage"/> is false (the following
    /// sends continue it until one passes true). Completes once the frame is written or queued; when the send queue is
    /// full, <see cref="WebSocketOptions.SendQueueFullPolicy"/> decides. Thread-safe: concurrent sends are ordered.
    /// </summary>
    /// <exception cref="WebSocketClosedException">The connection is closing or closed.</exception>
    /// <exception cref="WebSocketSendQueueFullException">The queue is full and the policy is Fail or Close.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, MessageType type, bool endOfMessage = true,
        CancellationToken cancellationToken = default)
    {
        if (type is not (MessageType.Text or MessageType.Binary))
            throw new ArgumentOutOfRangeException(nameof(type), type, "Send text or binary messages; use CloseAsync to close.");
        var outcome = TrySendData(payload.Span, type, endOfMessage);
        return outcome switch
        {
            SendOutcome.Done => default,
            SendOutcome.Flushing => FlushLoop(),
            _ => SendWhenSpaceAsync(payload, type, endOfMessage, cancellationToken),
        };
    }

    /// <summary>Sends a message held in a sequence (for example a received one, to echo it).</summary>
    public ValueTask SendAsync(ReadOnlySequence<byte> payload, MessageType type, bool endOfMessage = true,
        CancellationToken cancellationToken = default)
    {
        if (payload.IsSingleSegment) return SendAsync(payload.First, type, endOfMessage, cancellationToken);
        return SendPooledAsync(payload, type, endOfMessage, cancellationToken);
    }

    private async ValueTask SendPooledAsync(ReadOnlySequence<byte> payload, MessageType type, bool endOfMessage,
        CancellationToken cancellationToken)
    {
        var rented = ArrayPool<byte>.Shared.Rent(checked((int)payload.Length));
        try
        {
            payload.CopyTo(rented);
            await SendAsync(rented.AsMemory(0, (int)payload.Length), type, endOfMessage, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Sends a text message, encoding it as UTF-8 into a pooled buffer.</summary>
    public ValueTask SendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[text.Length * 3];
            int n = System.Text.Encoding.UTF8.GetBytes(text, utf8);
            var outcome = TrySendData(utf8[..n], MessageType.Text, true);
            if (outcome == SendOutcome.Done) return default;
            if (outcome == SendOutcome.Flushing) return FlushLoop();
        }
        return SendPooledTextAsync(text, cancellationToken);
    }

    private async ValueTask SendPooledTextAsync(string text, CancellationToken cancellationToken)
    {
        var rented = ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            int n = System.Text.Encoding.UTF8.GetBytes(text, rented);
            await SendAsync(rented.AsMemory(0, n), MessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Sends a message framed once for many connections: the same bytes go to every connection, queued by reference.
    /// A client-role connection masks it itself.
    /// </summary>
    public ValueTask SendAsync(PreparedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_role == WebSocketRole.Client) return SendAsync(message.Payload, message.Type, true, cancellationToken);
        SendOutcome outcome;
        lock (_sendLock)
        {
            outcome = CheckCanSend(message.Frame.Length);
            if (outcome == SendOutcome.Done)
            {
                if (_sendMessageInProgress)
                    throw new InvalidOperationException("A fragmented message is being sent: finish it (endOfMessage: true) before sending another message.");
                if (_metered) TrafficCounters.MessageSent();
                if (!_writerBusy)
                {
                    _writerBusy = true;
                    _writer.Write(message.Frame.Span);
                    _unflushedBytes += message.Frame.Length;
                    outcome = SendOutcome.Flushing;
                }
                else
                {
                    Queue.EnqueueShared(message.Frame);
                }
                _bufferedBytes += message.Frame.Length;
            }
        }
        return outcome switch
        {
            SendOutcome.Done => default,
            SendOutcome.Flushing => FlushLoop(),
            _ => SendPreparedWhenSpaceAsync(message, cancellationToken),
        };
    }

    /// <summary>Sends a ping (at most 125 bytes of payload). The pong is consumed by the receive loop.</summary>
    public ValueTask PingAsync(ReadOnlyMemory<byte> payload = default, CancellationToken cancellationToken = default)
    {
        if (payload.Length > 125) throw new ArgumentOutOfRangeException(nameof(payload), payload.Length, "A ping payload is at most 125 bytes (RFC 6455 §5.5).");
        lock (_sendLock)
        {
            if (_closeSent || _sendClosed) throw new WebSocketClosedException(State);
        }
        return TrySendControl(Opcode.Ping, payload.Span) ? FlushLoop() : default;
    }

    private SendOutcome TrySendData(ReadOnlySpan<byte> payload, MessageType type, bool endOfMessage)
    {
        lock (_sendLock)
        {
            var outcome = CheckCanSend(FrameHeader.MaxLength + (long)payload.Length);
            if (outcome != SendOutcome.Done) return outcome;
            if (endOfMessage && _metered) TrafficCounters.MessageSent();
            Opcode opcode;
            bool rsv1 = false;
            if (_sendMessageInProgress)
            {
                if (type != _sendMessageType)
                    throw new InvalidOperationException($"A fragmented {_sendMessageType} message is being sent: finish it before sending {type}.");
                opcode = Opcode.Continuation;
            }
            else
            {
                opcode = type == MessageType.Text ? Opcode.Text : Opcode.Binary;
                // Compress large messages, and streamed ones whose final size is unknown.
                _sendCompressed = _deflate is not null && (!endOfMessage || payload.Length >= _deflate.CompressionThreshold);
                rsv1 = _sendCompressed;
                _sendMessageType = type;
            }
            _sendMessageInProgress = !endOfMessage;
            if (_sendCompressed)
            {
                var compressed = _compressedBuffer ??= new();
                compressed.Clear();
                _deflate!.Compress(payload, endOfMessage, compressed);
                bool flushing = WriteFrameLocked(opcode, endOfMessage, rsv1, compressed.WrittenSpan);
                if (compressed.WrittenCount > 16 * 1024) compressed.Release();
                return flushing ? SendOutcome.Flushing : SendOutcome.Done;
            }
            return WriteFrameLocked(opcode, endOfMessage, rsv1, payload) ? SendOutcome.Flushing : SendOutcome.Done;
        }
    }

    /// <summary>Called under the send lock: may this frame be sent now?</summary>
    private SendOutcome CheckCanSend(long size)
    {
        if (_closeSent || _sendClosed) throw new WebSocketClosedException(State);
        // A message larger than the limit still goes when nothing is queued: the limit bounds what piles up.
        if (!_writerBusy || QueueIsEmpty || QueuedBytes + size <= _options.SendQueueLimit) return SendOutcome.Done;
        switch (_options.SendQueueFullPolicy)
        {
            case SendQueueFullPolicy.Wait:
                return SendOutcome.MustWait;
            case SendQueueFullPolicy.Fail:
                throw new WebSocketSendQueueFullException(_options.SendQueueLimit, closed: false);
            default:
                CloseSlowConsumerLocked();
                throw new WebSocketSendQueueFullException(_options.SendQueueLimit, closed: true);
        }
    }

    /// <summary>A peer that cannot keep up is cut loose: its backlog is dropped and it gets 1008.</summary>
    private void CloseSlowConsumerLocked()
    {
        WebSocketMetrics.SlowConsumerClosed();
        _bufferedBytes -= QueuedBytes;
        _sendQueue?.Discard();
        _sendMessageInProgress = false;
        RecordCloseLocked(CloseCode.PolicyViolation, "Slow consumer: the send queue exceeded its limit.");
        // The writer is busy (that is why the queue filled), so the close frame is queued behind what is in flight.
        SendCloseLocked(CloseCode.PolicyViolation, "Slow consumer: the send queue exceeded its limit.");
    }

    private void RecordCloseLocked(ushort code, string reason)
    {
        if (CloseStatus is not null) return;
        CloseStatus = code;
        CloseReason = reason;
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendWhenSpaceAsync(ReadOnlyMemory<byte> payload, MessageType type, bool endOfMessage,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
            var outcome = TrySendData(payload.Span, type, endOfMessage);
            if (outcome == SendOutcome.Flushing) await FlushLoop().ConfigureAwait(false);
            if (outcome != SendOutcome.MustWait) return;
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendPreparedWhenSpaceAsync(PreparedMessage message, CancellationToken cancellationToken)
    {
        await WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private Task WaitForSpaceAsync(CancellationToken cancellationToken)
    {
        lock (_sendLock)
        {
            if (!_writerBusy || QueueIsEmpty || _sendClosed) return Task.CompletedTask;
            _spaceAvailable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _spaceAvailable.Task.WaitAsync(cancellationToken);
        }
    }

    private void ReleaseSpaceWaiters()
    {
        _spaceAvailable?.TrySetResult();
        _spaceAvailable = null;
    }

    /// <summary>Sends a control frame whatever the queue holds (control frames are small and must not wait).</summary>
    /// <returns>True when the caller now owns the writer and must run <see cref="FlushLoop"/>.</returns>
    private bool TrySendControl(Opcode opcode, ReadOnlySpan<byte> payload)
    {
        lock (_sendLock)
        {
            if (_closeSent || _sendClosed) return false;
            return WriteFrameLocked(opcode, fin: true, rsv1: false, payload);
        }
    }

    /// <summary>Sends the close frame once; afterwards no frame of any kind is sent (RFC 6455 §5.5.1).</summary>
    private void TrySendClose(ushort code, string? reason)
    {
        bool flush;
        lock (_sendLock)
        {
            if (_closeSent || _sendClosed) return;
            flush = SendCloseLocked(code, reason);
        }
        if (flush) _ = FlushLoop();
    }

    private bool SendCloseLocked(ushort code, string? reason)
    {
        Span<byte> payload = stackalloc byte[125];
        int length = code == 0 ? 0 : ClosePayload.Write(payload, code, reason);
        bool flush = WriteFrameLocked(Opcode.Close, fin: true, rsv1: false, payload[..length]);
        _closeSent = true;
        _closingSinceTicks = Environment.TickCount64;
        Interlocked.CompareExchange(ref _state, (int)WebSocketState.Closing, (int)WebSocketState.Open);
        return flush;
    }

    /// <summary>
    /// Writes one frame (under the send lock): straight into the pipe writer when it is free, else into the queue.
    /// Returns true when the caller took the writer and must flush it.
    /// </summary>
    private bool WriteFrameLocked(Opcode opcode, bool fin, bool rsv1, ReadOnlySpan<byte> payload)
    {
        bool masked = _role == WebSocketRole.Client;
        int maskKey = masked ? MaskKeyGenerator.Next() : 0;
        var header = new FrameHeader(opcode, fin, payload.Length, rsv1, masked, maskKey);
        int total = header.Length + payload.Length;
        _bufferedBytes += total;
        if (_writerBusy)
        {
            var span = Queue.Reserve(total);
            int n = header.WriteTo(span);
            payload.CopyTo(span[n..]);
            if (masked) FrameMask.Apply(span.Slice(n, payload.Length), maskKey);
            Queue.Commit(total);
            return false;
        }
        _writerBusy = true;
        _unflushedBytes += total;
        var headerSpan = _writer.GetSpan(header.Length);
        header.WriteTo(headerSpan);
        _writer.Advance(header.Length);
        long offset = 0;
        while (!payload.IsEmpty)
        {
            var destination = _writer.GetSpan(Math.Min(payload.Length, 64 * 1024));
            int n = Math.Min(destination.Length, payload.Length);
            payload[..n].CopyTo(destination);
            if (masked) FrameMask.Apply(destination[..n], maskKey, offset);
            _writer.Advance(n);
            payload = payload[n..];
            offset += n;
        }
        return true;
    }

    /// <summary>
    /// Flushes the writer and then everything queued meanwhile, in one write per round. Runs by whoever took the writer;
    /// when the transport pushes back, continues in the background so the sender is not held.
    /// </summary>
    private ValueTask FlushLoop()
    {
        while (true)
        {
            ValueTask<FlushResult> flush;
            try
            {
                flush = _writer.FlushAsync();
            }
            catch (Exception ex) when (IsTransportError(ex))
            {
                OnWriteFailed();
                return default;
            }
            if (!flush.IsCompleted)
            {
                _ = FlushLoopAsync(flush);
                return default;
            }
            bool transportGone;
            try
            {
                var result = flush.GetAwaiter().GetResult();
                transportGone = result.IsCompleted || result.IsCanceled;
            }
            catch (Exception ex) when (IsTransportError(ex))
            {
                transportGone = true;
            }
            if (!AfterFlush(transportGone)) return default;
        }
    }

    private async Task FlushLoopAsync(ValueTask<FlushResult> pending)
    {
        try
        {
            while (true)
            {
                var result = await pending.ConfigureAwait(false);
                if (!AfterFlush(result.IsCompleted || result.IsCanceled)) return;
                pending = _writer.FlushAsync();
            }
        }
        catch (Exception ex) when (IsTransportError(ex))
        {
            OnWriteFailed();
        }
    }

    /// <summary>Accounts for a completed flush; moves queued frames into the writer. True when another flush is due.</summary>
    private bool AfterFlush(bool transportGone)
    {
        if (transportGone)
        {
            OnWriteFailed();
            return false;
        }
        lock (_sendLock)
        {
            if (_metered) TrafficCounters.BytesSent(_unflushedBytes);
            _bufferedBytes -= _unflushedBytes;
            _unflushedBytes = 0;
            if (QueueIsEmpty || _sendClosed)
            {
                _writerBusy = false;
                ReleaseSpaceWaiters();
                OnSendIdleLocked();
                return false;
            }
            _unflushedBytes = Queue.DrainTo(_writer);
            ReleaseSpaceWaiters();
            return true;
        }
    }

    private void OnSendIdleLocked()
    {
        _sendIdle?.TrySetResult();
        _sendIdle = null;
        if (_completeWriterWhenIdle) TryComplete(_writer);
    }

    private void OnWriteFailed()
    {
        lock (_sendLock)
        {
            _sendClosed = true;
            _writerBusy = false;
            _sendQueue?.Discard();
            _bufferedBytes = 0;
            _unflushedBytes = 0;
            ReleaseSpaceWaiters();
            OnSendIdleLocked();
        }
        RecordClose(CloseCode.AbnormalClosure, "The connection broke while sending.");
        // Wake the receive side so it notices the connection is gone.
        try { _reader.CancelPendingRead(); } catch (InvalidOperationException) { }
    }

    private static bool IsTransportError(Exception ex) => ex is IOException or InvalidOperationException
        or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException
        or Microsoft.AspNetCore.Connections.ConnectionResetException or Microsoft.AspNetCore.Connections.ConnectionAbortedException;

    /// <summary>Waits (bounded by the close timeout) until everything sent so far has reached the transport.</summary>
    private async ValueTask WaitForSendsAsync()
    {
        Task idle;
        lock (_sendLock)
        {
            if (!_writerBusy) return;
            _sendIdle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _sendIdle.Task;
        }
        try
        {
            await idle.WaitAsync(_options.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer stopped reading: the transport is shut regardless.
        }
    }
}
