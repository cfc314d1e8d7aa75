using Wirehub.Protocol;

namespace Wirehub.WebSockets;

public sealed partial class WebSocketConnection
{
    /// <summary>
    /// Starts the closing handshake and waits for it to finish: sends a close frame after everything already queued,
    /// then waits for the peer's close frame (reading and discarding data messages if no receive loop is running), within
    /// <see cref="WebSocketOptions.CloseTimeout"/>; after that the connection is aborted.
    /// </summary>
    /// <param name="code">A code valid on the wire: 1000-1003, 1007-1014 or 3000-4999.</param>
    /// <param name="reason">At most 123 bytes of UTF-8.</param>
    /// <param name="cancellationToken">Stops waiting (the close frame is still sent).</param>
    public async Task CloseAsync(ushort code = CloseCode.NormalClosure, string? reason = null,
        CancellationToken cancellationToken = default)
    {
        CloseOutput(code, reason);
        if (State == WebSocketState.Closed) return;
        Task closed;
        lock (_sendLock)
        {
            _closeReceived ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            closed = _closeReceived.Task;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CloseTimeout);
        try
        {
            if (Volatile.Read(ref _receiving) == 0 && !_receiveDone)
            {
                // Nobody is reading: drive the receive side until the peer's close arrives.
                while (!(await ReceiveAsync(timeout.Token).ConfigureAwait(false)).IsClose)
                {
                }
            }
            else
            {
                await closed.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            RecordClose(CloseCode.AbnormalClosure, "The peer did not complete the closing handshake in time.");
            Abort();
        }
        catch (InvalidOperationException)
        {
            // A receive started concurrently: it completes the handshake.
            await closed.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a close frame and returns without waiting for the peer's: the receive loop completes the handshake. No
    /// message can be sent afterwards.
    /// </summary>
    public ValueTask CloseOutputAsync(ushort code = CloseCode.NormalClosure, string? reason = null)
    {
        CloseOutput(code, reason);
        return default;
    }

    private void CloseOutput(ushort code, string? reason)
    {
        if (!CloseCode.IsValidOnWire(code))
            throw new ArgumentOutOfRangeException(nameof(code), code, "A close code must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4).");
        if (reason is not null && System.Text.Encoding.UTF8.GetByteCount(reason) > ClosePayload.MaxReasonBytes)
            throw new ArgumentOutOfRangeException(nameof(reason), $"A close reason is at most {ClosePayload.MaxReasonBytes} bytes of UTF-8.");
        TrySendClose(code, reason);
    }

    /// <summary>Called by the shared keep-alive sweep, about once a second.</summary>
    internal void OnKeepAliveTick(long now)
    {
        var state = State;
        if (state == WebSocketState.Closed) return;
        if (state == WebSocketState.Closing)
        {
            long since = Volatile.Read(ref _closingSinceTicks);
            if (since != 0 && now - since > (long)_options.CloseTimeout.TotalMilliseconds + 1000)
            {
                RecordClose(CloseCode.AbnormalClosure, "The closing handshake did not finish in time.");
                Abort();
            }
            return;
        }
        long interval = (long)_options.KeepAliveInterval.TotalMilliseconds;
        if (interval == 0) return;
        long pingSent = Volatile.Read(ref _pingSentTicks);
        if (pingSent != 0)
        {
            if (now - pingSent > (long)_options.KeepAliveTimeout.TotalMilliseconds)
            {
                RecordClose(CloseCode.AbnormalClosure, "The peer did not answer a keep-alive ping in time.");
                Abort();
            }
            return;
        }
        if (now - Volatile.Read(ref _lastReceiveTicks) < interval) return;
        Volatile.Write(ref _pingSentTicks, now);
        Span<byte> payload = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(payload, now);
        try
        {
            if (TrySendControl(Opcode.Ping, payload)) _ = FlushLoop();
        }
        catch (Exception ex) when (IsTransportError(ex))
        {
            OnWriteFailed();
        }
    }

    private long _pingSentTicks;
}
