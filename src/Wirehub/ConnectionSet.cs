using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>Connected clients as a copy-on-write array: a broadcast iterates it without locking or allocating.</summary>
internal sealed class ConnectionSet
{
    private readonly Lock _lock = new();
    private WebSocketConnection[] _snapshot = [];

    public WebSocketConnection[] Snapshot => Volatile.Read(ref _snapshot);

    public void Add(WebSocketConnection connection)
    {
        lock (_lock) _snapshot = [.. _snapshot, connection];
    }

    public void Remove(WebSocketConnection connection)
    {
        lock (_lock)
        {
            int index = Array.IndexOf(_snapshot, connection);
            if (index < 0) return;
            var next = new WebSocketConnection[_snapshot.Length - 1];
            Array.Copy(_snapshot, next, index);
            Array.Copy(_snapshot, index + 1, next, index, next.Length - index);
            _snapshot = next;
        }
    }
}
