using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wirehub.WebSockets;

/// <summary>
/// The host's graceful drain of its server connections: every WebSocket endpoint mapped with <c>MapWebSocket</c>, and
/// <c>UseWebSocketServer</c>, and any other transport that reports its connections as <see cref="IDrainableConnection"/>
/// (the realtime fallbacks do). Draining refuses new upgrades with 503 and closes the open connections with 1001 Going
/// Away, one after another whatever their transport, evenly spread over <see cref="WebSocketDrainOptions.Window"/>; each
/// close goes out after the frames already queued, and the drain ends once every connection has ended (a WebSocket
/// connection: its closing handshake and its handler). Registered by
/// <see cref="WebSocketDrainServiceCollectionExtensions.AddWebSocketDrain"/>, it starts when the host stops (SIGTERM,
/// Ctrl+C, <c>StopApplication</c>).
/// </summary>
public sealed class WebSocketDrain
{
    internal const string GoingAwayReason = "The server is shutting down: reconnect, another node will serve you.";

    // Keyed by what the transport untracks with (the engine's WebSocketConnection, or the IDrainableConnection itself).
    private readonly ConcurrentDictionary<object, IDrainableConnection> _connections = new();
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

    /// <summary>Server connections open now, of every transport that reports to the drain.</summary>
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

    /// <summary>
    /// Adds a connection of another transport, to be closed by the drain with the WebSocket connections; call
    /// <see cref="Untrack(IDrainableConnection)"/> once it has ended. Returns false when the drain has already begun:
    /// the connection is tracked, but the caller must close it at once (with <see cref="IDrainableConnection.GoAway"/>).
    /// </summary>
    public bool TryTrack(IDrainableConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return TryTrack(connection, connection);
    }

    /// <summary>Removes a connection that has ended; the drain completes once none is left.</summary>
    public void Untrack(IDrainableConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        UntrackKey(connection);
    }

    /// <summary>Adds an accepted WebSocket connection; false when the drain has begun and it must be closed at once.</summary>
    internal bool TryTrack(WebSocketConnection connection) => TryTrack(connection, new WebSocketDrainConnection(connection));

    internal void Untrack(WebSocketConnection connection) => UntrackKey(connection);

    private bool TryTrack(object key, IDrainableConnection connection)
    {
        _connections.TryAdd(key, connection);
        return !_isDraining;
    }

    private void UntrackKey(object key)
    {
        if (!_connections.TryRemove(key, out _) || !_connections.IsEmpty) return;
        lock (_gate)
        {
            _empty?.TrySetResult();
            _empty = null;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var snapshot = _connections.ToArray();
        var closed = new HashSet<object>(snapshot.Select(static entry => entry.Key));
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
                for (; next < due; next++) GoAway(snapshot[next].Value);
                if (next == count) break;
                var wait = TimeSpan.FromTicks(Window.Ticks * next / count) - _time.GetElapsedTime(start);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            // A connection accepted just as the drain began (or one that outlives its close) is closed without delay.
            while (true)
            {
                GoAwayUntold(closed);
                var empty = Emptied();
                if (empty.IsCompleted) break;
                await Task.WhenAny(empty, Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            WebSocketLog.DrainCompleted(_logger, closed.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            for (; next < count; next++) GoAway(snapshot[next].Value);
            GoAwayUntold(closed);
            WebSocketLog.DrainCut(_logger, _connections.Count);
        }
    }

    private void GoAwayUntold(HashSet<object> told)
    {
        foreach (var (key, connection) in _connections)
            if (told.Add(key)) GoAway(connection);
    }

    /// <summary>A transport's GoAway must not throw; one that does must not stop the others' closes.</summary>
    private void GoAway(IDrainableConnection connection)
    {
        try { connection.GoAway(); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "A connection's transport failed to start its 1001 close during the drain; it is left to the shutdown.");
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
