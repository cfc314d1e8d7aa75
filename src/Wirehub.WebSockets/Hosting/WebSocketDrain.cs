using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wirehub.WebSockets;

/// <summary>
/// The host's graceful drain of its server WebSocket connections (every endpoint mapped with <c>MapWebSocket</c>, and
/// <c>UseWebSocketServer</c>). Draining refuses new upgrades with 503 and closes the open connections with 1001 Going
/// Away, one after another, evenly spread over <see cref="WebSocketDrainOptions.Window"/>; each close goes out after the
/// frames already queued, and the drain ends once every connection has finished its closing handshake and its handler.
/// Registered by <see cref="WebSocketDrainServiceCollectionExtensions.AddWebSocketDrain"/>, it starts when the host
/// stops (SIGTERM, Ctrl+C, <c>StopApplication</c>).
/// </summary>
public sealed class WebSocketDrain
{
    internal const string GoingAwayReason = "The server is shutting down: reconnect, another node will serve you.";

    private readonly ConcurrentDictionary<WebSocketConnection, byte> _connections = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private volatile bool _isDraining;
    private Task? _drained;
    private TaskCompletionSource? _empty;

    internal WebSocketDrain(WebSocketDrainOptions options, TimeProvider? time, ILoggerFactory? loggerFactory)
    {
        Window = options.Window;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger(WebSocketLog.Category) ?? NullLogger.Instance;
    }

    /// <summary>The time over which connections are closed.</summary>
    public TimeSpan Window { get; }

    /// <summary>True from the moment the host starts stopping: the node is no longer ready for new connections.</summary>
    public bool IsDraining => _isDraining;

    /// <summary>Server WebSocket connections open now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// Drains (once: later calls return the same task). Completes when every connection has ended; when
    /// <paramref name="cancellationToken"/> fires first, the connections not yet closed get their 1001 at once and the
    /// task completes without waiting for them.
    /// </summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _isDraining = true;
            return _drained ??= RunAsync(cancellationToken);
        }
    }

    /// <summary>Refuses new connections from now on, before the closes start.</summary>
    internal void BeginDraining() => _isDraining = true;

    /// <summary>Adds an accepted connection; false when the drain has begun and it must be closed at once.</summary>
    internal bool TryTrack(WebSocketConnection connection)
    {
        _connections.TryAdd(connection, 0);
        return !_isDraining;
    }

    internal void Untrack(WebSocketConnection connection)
    {
        if (!_connections.TryRemove(connection, out _) || !_connections.IsEmpty) return;
        lock (_gate)
        {
            _empty?.TrySetResult();
            _empty = null;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var snapshot = _connections.Keys.ToArray();
        var closed = new HashSet<WebSocketConnection>(snapshot);
        int count = snapshot.Length, next = 0;
        WebSocketLog.DrainStarted(_logger, count, Window);
        long start = _time.GetTimestamp();
        try
        {
            while (next < count)
            {
                // Connection i is due at i/count of the window: the first at once, the others evenly spaced after it.
                var elapsed = _time.GetElapsedTime(start);
                int due = elapsed >= Window ? count : (int)Math.Min(count, elapsed.Ticks * count / Window.Ticks + 1);
                for (; next < due; next++) GoAway(snapshot[next]);
                if (next == count) break;
                var wait = TimeSpan.FromTicks(Window.Ticks * next / count) - _time.GetElapsedTime(start);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            // A connection accepted just as the drain began (or one that outlives its close) is closed without delay.
            while (true)
            {
                foreach (var connection in _connections.Keys)
                    if (closed.Add(connection)) GoAway(connection);
                var empty = Emptied();
                if (empty.IsCompleted) break;
                await Task.WhenAny(empty, Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            WebSocketLog.DrainCompleted(_logger, closed.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            for (; next < count; next++) GoAway(snapshot[next]);
            foreach (var connection in _connections.Keys)
                if (closed.Add(connection)) GoAway(connection);
            WebSocketLog.DrainCut(_logger, _connections.Count);
        }
    }

    private Task Emptied()
    {
        lock (_gate)
        {
            if (_connections.IsEmpty) return Task.CompletedTask;
            _empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _empty.Task;
        }
    }

    /// <summary>
    /// Sends 1001 after whatever is queued; the handler's receive loop completes the closing handshake (waiting here for
    /// it would start a second receive beside the handler's).
    /// </summary>
    internal static void GoAway(WebSocketConnection connection)
    {
        try { _ = connection.CloseOutputAsync(CloseCode.GoingAway, GoingAwayReason); }
        catch (Exception ex) when (ex is WebSocketClosedException or InvalidOperationException) { }
    }
}
