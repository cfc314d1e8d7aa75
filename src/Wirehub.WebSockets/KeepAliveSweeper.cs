namespace Wirehub.WebSockets;

/// <summary>
/// One timer for every connection in the process: keep-alive pings, dead-peer detection and closing-handshake
/// timeouts, so an idle connection owns no timer of its own.
/// </summary>
internal static class KeepAliveSweeper
{
    private static readonly HashSet<WebSocketConnection> Connections = [];
    private static readonly Timer Timer = new(_ => Sweep(), null, Timeout.Infinite, Timeout.Infinite);
    private static WebSocketConnection[] _snapshot = [];
    private static bool _running;
    private static int _sweeping;

    public static int Count
    {
        get { lock (Connections) return Connections.Count; }
    }

    /// <summary>Bytes waiting to be sent by the server connections, summed for the metrics (<see cref="WebSocketMetrics"/>).</summary>
    public static long QueuedBytesOfServers()
    {
        long total = 0;
        lock (Connections)
        {
            foreach (var connection in Connections)
                if (connection.Role == Wirehub.Protocol.WebSocketRole.Server) total += connection.BufferedAmount;
        }
        return total;
    }

    public static void Register(WebSocketConnection connection)
    {
        lock (Connections)
        {
            Connections.Add(connection);
            if (!_running)
            {
                _running = true;
                Timer.Change(1000, 1000);
            }
        }
    }

    public static void Unregister(WebSocketConnection connection)
    {
        lock (Connections) Connections.Remove(connection);
    }

    private static void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0) return;
        try
        {
            int count;
            lock (Connections)
            {
                count = Connections.Count;
                if (count == 0)
                {
                    _running = false;
                    Timer.Change(Timeout.Infinite, Timeout.Infinite);
                    return;
                }
                if (_snapshot.Length < count) _snapshot = new WebSocketConnection[Math.Max(count, _snapshot.Length * 2)];
                Connections.CopyTo(_snapshot);
            }
            long now = Environment.TickCount64;
            for (int i = 0; i < count; i++)
            {
                try { _snapshot[i].OnKeepAliveTick(now); }
                catch (Exception) { /* one connection's failure must not stop the sweep of the others */ }
                _snapshot[i] = null!;
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
