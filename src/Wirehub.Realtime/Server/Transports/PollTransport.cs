using System.Buffers;
using System.IO.Pipelines;
using Wirehub.Realtime.Diagnostics;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The long-polling transport: each <c>GET P/poll/ID</c> takes the frames queued since the previous one (waiting up to
/// the poll timeout for one), and carries the close once the transport has closed. A session with no poll outstanding
/// for the session timeout is dropped as an abnormal closure (1006, recoverable).
/// </summary>
internal sealed class PollTransport : EmulatedTransport
{
    /// <summary>
    /// How long a closed session waits for the poll that collects its close, as a WebSocket waits for the peer's close
    /// frame (the engine's close timeout): a client polls again at once, and a drain must not wait a session timeout.
    /// </summary>
    private static readonly TimeSpan CloseCollectionTimeout = TimeSpan.FromSeconds(5);

    private readonly ITimer _idleTimer;
    private readonly TimeSpan _sessionTimeout;
    private readonly Action<PollTransport> _expired;
    private bool _polling;

    /// <param name="id">The session id.</param>
    /// <param name="sendQueueLimit">Bytes that may wait for a poll before the session is closed as a slow consumer.</param>
    /// <param name="sessionTimeout">How long the session lives with no poll outstanding.</param>
    /// <param name="time">The clock of the timers.</param>
    /// <param name="expired">Called when the session timeout passes with no poll: removes the transport.</param>
    public PollTransport(string id, long sendQueueLimit, TimeSpan sessionTimeout, TimeProvider time, Action<PollTransport> expired)
        : base(id, sendQueueLimit)
    {
        _sessionTimeout = sessionTimeout;
        _expired = expired;
        _idleTimer = time.CreateTimer(static state => ((PollTransport)state!).OnIdle(), this, sessionTimeout, Timeout.InfiniteTimeSpan);
    }

    public override TransportType Type => TransportType.LongPolling;

    /// <summary>True while a GET is waiting for or writing frames.</summary>
    public bool IsPolling
    {
        get { lock (Gate) return _polling; }
    }

    /// <summary>Claims the session for one GET: <see cref="PollStart.Busy"/> when another GET holds it.</summary>
    public PollStart TryBeginPoll()
    {
        lock (Gate)
        {
            if (Removed || DownstreamGone) return PollStart.Gone;
            if (_polling) return PollStart.Busy;
            _polling = true;
            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return PollStart.Started;
        }
    }

    /// <summary>
    /// Answers one GET with <c>{"frames":[...]}</c>, held until a frame is queued, the transport closes, the poll
    /// timeout passes or the request is aborted; adds <c>"close"</c> once closed. Returns true when the session is over:
    /// its close was delivered, or a response that carried frames did not reach the client.
    /// </summary>
    public async Task<bool> PollAsync(PipeWriter body, TimeSpan pollTimeout, TimeProvider time, CancellationToken aborted)
    {
        var deadline = new PollDeadline(this);
        using var timer = time.CreateTimer(static state => ((PollDeadline)state!).Expire(), deadline, pollTimeout, Timeout.InfiniteTimeSpan);
        using var registration = aborted.UnsafeRegister(static state => ((PollTransport)state!).Wake(), this);
        OutboundQueue? frames = null;
        TransportClose? close = null;
        while (true)
        {
            ValueTask woken;
            lock (Gate)
            {
                if (!DownstreamGone && (HasPendingLocked || Close is not null))
                {
                    if (HasPendingLocked) frames = TakePendingLocked();
                    close = Close;
                    break;
                }
                if (DownstreamGone || deadline.Expired || aborted.IsCancellationRequested) break;
                woken = WaitDownstreamLocked();
            }
            await woken.ConfigureAwait(false);
        }
        if (aborted.IsCancellationRequested && frames is null && close is null) return EndPoll(over: false);
        long written = Write(body, frames, close);
        FallbackTraffic.Sent(TransportType.LongPolling, frames?.Count ?? 0, written);
        if (frames is not null) ReturnTaken(frames);
        bool delivered = await FlushAsync(body).ConfigureAwait(false) && !aborted.IsCancellationRequested;
        if (close is not null) return EndPoll(over: true);
        if (!delivered && frames is not null)
        {
            // The frames are lost with the response: the session cannot go on without a gap, so it ends recoverably.
            Abort("A poll response did not reach the client: reconnect with recovery.");
            return EndPoll(over: true);
        }
        return EndPoll(over: false);
    }

    /// <summary>Writes one poll's answer; returns its length in bytes.</summary>
    private static long Write(PipeWriter body, OutboundQueue? frames, TransportClose? close)
    {
        body.Write("{\"frames\":["u8);
        long written = "{\"frames\":[]}"u8.Length;
        if (frames is not null)
        {
            bool first = true;
            foreach (ref readonly var frame in frames.Items)
            {
                if (!first) body.Write(","u8);
                body.Write(frame.Span);
                written += frame.Length + (first ? 0 : 1);
                first = false;
            }
        }
        body.Write("]"u8);
        if (close is not null)
        {
            body.Write(",\"close\":"u8);
            written += ",\"close\":"u8.Length + TransportCloseJson.Write(body, close);
        }
        body.Write("}"u8);
        return written;
    }

    private static async ValueTask<bool> FlushAsync(PipeWriter body)
    {
        try
        {
            var result = await body.FlushAsync().ConfigureAwait(false);
            return !result.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException
            or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            return false;
        }
    }

    private bool EndPoll(bool over)
    {
        lock (Gate)
        {
            _polling = false;
            if (!over && !Removed) _idleTimer.Change(IdleTimeoutLocked(), Timeout.InfiniteTimeSpan);
        }
        return over;
    }

    /// <summary>
    /// 1001 as for any fallback; without a poll outstanding, the close waits for the next poll only as long as a
    /// WebSocket's close waits for its peer, then the session is dropped.
    /// </summary>
    public override void GoAway()
    {
        lock (Gate)
        {
            base.GoAway();
            if (!_polling && !Removed) _idleTimer.Change(IdleTimeoutLocked(), Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan IdleTimeoutLocked() =>
        Close is not null && CloseCollectionTimeout < _sessionTimeout ? CloseCollectionTimeout : _sessionTimeout;

    private void OnIdle()
    {
        lock (Gate)
        {
            if (_polling || Removed) return;
            // Under the lock that TryBeginPoll takes: a GET arriving now finds the transport gone, not half-closed.
            AbortLocked("No poll within the session timeout: reconnect with recovery.");
        }
        _expired(this);
    }

    protected override void OnRemovedLocked() => _idleTimer.Dispose();

    /// <summary>The poll timeout of one GET: expiring wakes the GET, which answers with what it has.</summary>
    private sealed class PollDeadline(PollTransport transport)
    {
        private volatile bool _expired;

        public bool Expired => _expired;

        public void Expire()
        {
            _expired = true;
            transport.Wake();
        }
    }
}
