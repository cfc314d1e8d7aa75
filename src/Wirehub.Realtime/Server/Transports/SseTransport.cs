using System.IO.Pipelines;
using Wirehub.Realtime.Diagnostics;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The Server-Sent Events transport: one <c>GET P/sse</c> response carries the session's frames as events for as long
/// as it lasts; upstream frames come in <c>POST P/sse/ID</c>. The stream ending ends the session (1006, recoverable).
/// </summary>
internal sealed class SseTransport : EmulatedTransport
{
    private bool _keepAliveDue;

    public SseTransport(string id, long sendQueueLimit) : base(id, sendQueueLimit)
    {
        lock (Gate) SetBacklogBoundedLocked(false);
    }

    public override TransportType Type => TransportType.ServerSentEvents;

    /// <summary>
    /// Writes the open event, then every queued frame as it comes, a keep-alive comment at each interval, and the close
    /// event once the transport closes; returns when the stream is over.
    /// </summary>
    public async Task WriteEventsAsync(PipeWriter body, TimeSpan keepAliveInterval, TimeProvider time)
    {
        FallbackTraffic.Sent(TransportType.ServerSentEvents, 0, SseEventWriter.WriteOpen(body, Id));
        if (!await FlushAsync(body).ConfigureAwait(false)) return;
        using var keepAlive = time.CreateTimer(static state => ((SseTransport)state!).OnKeepAliveDue(), this,
            keepAliveInterval, keepAliveInterval);
        while (true)
        {
            OutboundQueue? frames = null;
            TransportClose? close;
            bool keepAliveDue;
            ValueTask woken = default;
            lock (Gate)
            {
                if (DownstreamGone) return;
                if (HasPendingLocked) frames = TakePendingLocked();
                // Read with the frames under one lock: every frame queued before the close is in this batch.
                close = Close;
                keepAliveDue = _keepAliveDue;
                _keepAliveDue = false;
                if (frames is null && close is null && !keepAliveDue) woken = WaitDownstreamLocked();
            }
            if (frames is null && close is null && !keepAliveDue)
            {
                await woken.ConfigureAwait(false);
                continue;
            }
            int messages = 0;
            long written = 0;
            if (frames is not null)
            {
                foreach (ref readonly var frame in frames.Items) written += SseEventWriter.WriteFrame(body, frame.Span);
                messages = frames.Count;
                ReturnTaken(frames);
            }
            else if (keepAliveDue)
            {
                written += SseEventWriter.WriteKeepAlive(body);
            }
            if (close is not null) written += SseEventWriter.WriteClose(body, close);
            FallbackTraffic.Sent(TransportType.ServerSentEvents, messages, written);
            if (!await FlushAsync(body).ConfigureAwait(false) || close is not null) return;
        }
    }

    private void OnKeepAliveDue()
    {
        lock (Gate) _keepAliveDue = true;
        Wake();
    }

    /// <summary>Flushes; while the flush waits for the client, queued frames are a backlog bounded as a WebSocket's.</summary>
    private async ValueTask<bool> FlushAsync(PipeWriter body)
    {
        try
        {
            var flushing = body.FlushAsync();
            FlushResult result;
            if (flushing.IsCompleted)
            {
                result = flushing.Result;
            }
            else
            {
                lock (Gate) SetBacklogBoundedLocked(true);
                result = await flushing.ConfigureAwait(false);
                lock (Gate) SetBacklogBoundedLocked(false);
            }
            if (!result.IsCompleted && !result.IsCanceled) return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException
            or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
        }
        Abort("The event stream broke.");
        return false;
    }
}
