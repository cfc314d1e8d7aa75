using System.Net;
using System.Net.Sockets;

namespace Wirehub.Realtime.Tests.Client.Support;

/// <summary>
/// Forwards loopback TCP connections to a target port and can cut them all at once, as a network failure would:
/// the client sees its connection drop without a close frame while the server stays up.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _discardFromServer;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public Uri Url(string path = "/connection") => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");

    /// <summary>From now until <see cref="CutAll"/>, bytes from the server are dropped: answers are lost on the way.</summary>
    public void LoseServerBytes() => _discardFromServer = true;

    /// <summary>Resets every relayed connection; later connections are relayed as before.</summary>
    public void CutAll()
    {
        _discardFromServer = false;
        lock (_open)
        {
            foreach (var socket in _open)
            {
                try { socket.LingerState = new LingerOption(true, 0); socket.Close(); } catch (ObjectDisposedException) { }
            }
            _open.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await _listener.AcceptSocketAsync(_stop.Token);
                var outbound = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                lock (_open) _open.AddRange([inbound, outbound]);
                _ = PumpAsync(inbound, outbound, fromServer: false);
                _ = PumpAsync(outbound, inbound, fromServer: true);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromServer)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer);
                if (n == 0) break;
                if (fromServer && _discardFromServer) continue;
                await to.SendAsync(buffer.AsMemory(0, n));
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            try { to.Close(); } catch (ObjectDisposedException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        CutAll();
        await _accepting;
        _stop.Dispose();
    }
}
