using System.Net;
using System.Net.Sockets;

namespace Wirehub.Redis.Tests.Support;

/// <summary>
/// Forwards loopback TCP connections to a port, and can fail like a network: reset every connection and refuse new
/// ones until reopened. One node reaching Redis through it loses Redis while the other nodes keep it.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private volatile bool _refusing;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public string Configuration => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Resets every relayed connection and refuses new ones until <see cref="Reopen"/>.</summary>
    public void Cut()
    {
        _refusing = true;
        lock (_open)
        {
            foreach (var socket in _open) Reset(socket);
            _open.Clear();
        }
    }

    public void Reopen() => _refusing = false;

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync();
                if (_refusing)
                {
                    Reset(client);
                    continue;
                }
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _targetPort);
                }
                catch (SocketException)
                {
                    Reset(client);
                    server.Dispose();
                    continue;
                }
                lock (_open)
                {
                    _open.Add(client);
                    _open.Add(server);
                }
                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        Reset(from);
        Reset(to);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        Cut();
        await _accepting;
    }
}
