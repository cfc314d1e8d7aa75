using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// The server's open transport connections, by the client's port, recorded by a Kestrel connection middleware so a test
/// can drop one from the server's side.
/// </summary>
internal sealed class ServerConnections
{
    private readonly ConcurrentDictionary<int, ConnectionContext> _open = new();

    public ConnectionDelegate Track(ConnectionDelegate next) => async connection =>
    {
        int port = (connection.RemoteEndPoint as IPEndPoint)?.Port ?? 0;
        _open[port] = connection;
        try
        {
            await next(connection);
        }
        finally
        {
            _open.TryRemove(new KeyValuePair<int, ConnectionContext>(port, connection));
        }
    };

    /// <summary>Aborts the server's connection from <paramref name="clientPort"/>; false when it is already gone.</summary>
    public bool Abort(int clientPort)
    {
        if (!_open.TryGetValue(clientPort, out var connection)) return false;
        connection.Abort(new ConnectionAbortedException("Dropped by the server (chaos test)."));
        return true;
    }
}
