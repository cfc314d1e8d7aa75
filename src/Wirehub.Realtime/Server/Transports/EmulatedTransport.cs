using System.Buffers;
using System.Runtime.CompilerServices;
using Wirehub.Protocol;
using Wirehub.Realtime.Diagnostics;
using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// A <c>wirehub.v1</c> connection emulated over HTTP requests: upstream frames arrive in POST bodies, downstream frames
/// wait in a queue bounded like a WebSocket's send queue until the subclass's response carries them. The close is
/// recorded once and delivered after the frames queued before it. The host's drain closes it with the WebSocket
/// connections (<see cref="GoAway"/>).
/// </summary>
internal abstract class EmulatedTransport(string id, long sendQueueLimit) : IRealtimeTransport, IDrainableConnection
{
    private const string SlowConsumerReason = "Slow consumer: the send queue exceeded its limit.";
    private const string GoingAwayReason = "The server is shutting down: reconnect with recovery, another node will serve you.";

    private readonly Queue<InboundBatch> _inbound = new();
    private readonly AsyncSignal _upstream = new();
    private readonly AsyncSignal _downstream = new();
    private OutboundQueue _pending = new();
    private OutboundQueue? _spare = new();
    private InboundBatch? _reading;
    private bool _closedByClient;
    private bool _backlogBounded = true;

    /// <summary>The session id in the transport's URLs: 128 random bits, base64url.</summary>
    public string Id { get; } = id;

    public bool IsEmulated => true;

    /// <summary>Which fallback this is, for the metrics.</summary>
    public abstract TransportType Type { get; }

    /// <summary>Guards the queues and the close; subclasses take it around their own state too.</summary>
    protected object Gate { get; } = new();

    /// <summary>Set once: the code and reason the client is told (or 1006 when the client went away).</summary>
    public TransportClose? Close { get; private set; }

    /// <summary>The client can no longer be reached: nothing more is written downstream.</summary>
    protected bool DownstreamGone { get; private set; }

    /// <summary>The transport's URLs answer 404 from now on.</summary>
    public bool Removed { get; private set; }

    protected bool HasPendingLocked => _pending.Count > 0;

    // ---- Downstream ----

    public long QueuedBytes
    {
        get
        {
            // A closed transport drops what is queued: nothing waits any more.
            lock (Gate) return Close is null ? _pending.Bytes : 0;
        }
    }

    public void Send(PreparedMessage message) => Enqueue(new OutboundFrame(message));

    public ValueTask SendAsync(PooledFrame frame)
    {
        Enqueue(new OutboundFrame(frame));
        return default;
    }

    private void Enqueue(in OutboundFrame frame)
    {
        lock (Gate)
        {
            if (Close is null)
            {
                // The WebSocket engine's rule: the bound applies to what waits while the client pushes back, and a
                // frame larger than the bound still goes when nothing is queued.
                if (!_backlogBounded || _pending.Count == 0 || _pending.Bytes + frame.Length <= sendQueueLimit)
                {
                    _pending.Add(frame);
                    _downstream.Set();
                    return;
                }
                // A client that does not keep up loses its backlog and gets 1008, as over a WebSocket.
                _pending.Clear();
                RecordCloseLocked(CloseStatus.PolicyViolation, SlowConsumerReason);
            }
        }
        frame.Release();
    }

    /// <summary>
    /// Takes every queued frame for the caller to write, then <see cref="ReturnTaken"/>. Under <see cref="Gate"/>;
    /// frames queued afterwards go to a second queue, so writing does not hold the lock.
    /// </summary>
    protected OutboundQueue TakePendingLocked()
    {
        var taken = _pending;
        _pending = _spare ?? new OutboundQueue();
        _spare = null;
        return taken;
    }

    /// <summary>Releases the frames of a taken queue (written or lost) and keeps the queue for reuse.</summary>
    protected void ReturnTaken(OutboundQueue taken)
    {
        taken.Clear();
        lock (Gate) _spare = taken;
    }

    /// <summary>Waits until frames are queued, the transport closes or <see cref="Wake"/> is called. Under <see cref="Gate"/>.</summary>
    protected ValueTask WaitDownstreamLocked() => _downstream.WaitAsync();

    /// <summary>
    /// Whether queued frames are a backlog the send-queue bound applies to (true by default). A stream that takes frames
    /// as they come (SSE) sets it only while its client pushes back, as a WebSocket's queue counts only while a flush is
    /// pending; for long polling, what waits for the next poll is always a backlog. Under <see cref="Gate"/>.
    /// </summary>
    protected void SetBacklogBoundedLocked(bool bounded) => _backlogBounded = bounded;

    /// <summary>Wakes the downstream so it re-examines its state (a timer fired, its request was aborted).</summary>
    public void Wake()
    {
        lock (Gate) _downstream.Set();
    }

    // ---- Closing ----

    public ValueTask CloseAsync(ushort code, string reason)
    {
        CloseOutput(code, reason);
        return default;
    }

    public void CloseOutput(ushort code, string reason)
    {
        lock (Gate) RecordCloseLocked(code, reason);
    }

    /// <summary>
    /// The server is shutting down: 1001 after the frames already queued, so the client reconnects elsewhere with
    /// recovery. A transport already closed keeps its close.
    /// </summary>
    public virtual void GoAway() => CloseOutput(CloseStatus.GoingAway, GoingAwayReason);

    /// <summary>The client ended the session (1000): nothing is kept for recovery. False when it had already closed.</summary>
    public bool CloseByClient()
    {
        lock (Gate)
        {
            if (Close is not null) return false;
            _closedByClient = true;
            RecordCloseLocked(CloseStatus.NormalClosure, "Closed by the client.");
            return true;
        }
    }

    /// <summary>The client cannot be reached any more: the session ends as an abnormal closure (1006), recoverable.</summary>
    public void Abort(string reason)
    {
        lock (Gate) AbortLocked(reason);
    }

    protected void AbortLocked(string reason)
    {
        DownstreamGone = true;
        _pending.Clear();
        RecordCloseLocked(CloseStatus.AbnormalClosure, reason);
        _downstream.Set();
    }

    private void RecordCloseLocked(ushort code, string reason)
    {
        if (Close is not null) return;
        Close = new TransportClose(code, reason);
        while (_inbound.TryDequeue(out var batch)) batch.Complete(false);
        _upstream.Set();
        _downstream.Set();
    }

    /// <summary>The transport left its registry: its URLs answer 404 and what is still queued is dropped.</summary>
    public void MarkRemoved()
    {
        lock (Gate)
        {
            Removed = true;
            if (Close is null) AbortLocked("The session was removed.");
            _pending.Clear();
            OnRemovedLocked();
        }
    }

    /// <summary>Releases what the subclass holds (timers) when the transport leaves its registry.</summary>
    protected virtual void OnRemovedLocked()
    {
    }

    // ---- Upstream ----

    /// <summary>Queues a POST body for the session; false when the transport has closed (the POST gets 404).</summary>
    public bool TryPost(InboundBatch batch)
    {
        lock (Gate)
        {
            if (Close is not null) return false;
            _inbound.Enqueue(batch);
            _upstream.Set();
            return true;
        }
    }

    public ValueTask<TransportMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (TryReceiveLocked(cancellationToken, out var message)) return new(message);
        }
        return ReceiveWhenPostedAsync(cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TransportMessage> ReceiveWhenPostedAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((EmulatedTransport)state!).WakeUpstream(), this)
            : default;
        while (true)
        {
            ValueTask posted;
            lock (Gate)
            {
                if (TryReceiveLocked(cancellationToken, out var message)) return message;
                posted = _upstream.WaitAsync();
            }
            await posted.ConfigureAwait(false);
        }
    }

    private void WakeUpstream()
    {
        lock (Gate) _upstream.Set();
    }

    /// <summary>
    /// The next line of the POST being read; a POST is answered when the session asks for the frame after its last one,
    /// that is once all its frames were handled.
    /// </summary>
    private bool TryReceiveLocked(CancellationToken cancellationToken, out TransportMessage message)
    {
        while (true)
        {
            if (Close is not null || cancellationToken.IsCancellationRequested)
            {
                _reading?.Complete(true);
                _reading = null;
                message = TransportMessage.Closed(_closedByClient);
                return true;
            }
            if (_reading is not null)
            {
                if (_reading.TryReadLine(out var line))
                {
                    FallbackTraffic.MessageReceived(Type);
                    message = new TransportMessage(MessageType.Text, new ReadOnlySequence<byte>(line));
                    return true;
                }
                _reading.Complete(true);
                _reading = null;
            }
            if (!_inbound.TryDequeue(out _reading))
            {
                message = default;
                return false;
            }
        }
    }

    /// <summary>
    /// The session stopped reading: the POST being read is answered, queued ones get 404, and a transport the session
    /// left open (it failed) is closed with 1011.
    /// </summary>
    public void OnSessionEnded()
    {
        lock (Gate)
        {
            _reading?.Complete(true);
            _reading = null;
            RecordCloseLocked(CloseStatus.InternalError, "Internal server error: reconnect.");
            while (_inbound.TryDequeue(out var batch)) batch.Complete(false);
        }
    }
}
