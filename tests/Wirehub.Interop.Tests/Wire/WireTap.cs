using System.Net;
using System.Net.Sockets;

namespace Wirehub.Interop.Tests.Wire;

/// <summary>
/// A TCP relay on a free loopback port in front of a WebSocket server. It forwards bytes unchanged both ways and logs
/// every frame, so a test can see what no API exposes: the payload of a pong, or whether a frame was compressed (RSV1).
/// A frame is logged before it is forwarded, so once the receiver has seen it the log has it too.
/// </summary>
internal sealed class WireTap : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _relays = [];
    private readonly Task _acceptLoop;

    private WireTap(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Starts a tap in front of the server that <paramref name="target"/> points at (its port on 127.0.0.1).</summary>
    public static WireTap Start(Uri target) => new(target.Port);

    public WireFrameLog ClientToServer { get; } = new();

    public WireFrameLog ServerToClient { get; } = new();

    /// <summary>The same server URL, through the tap.</summary>
    public Uri Through(Uri target) => new UriBuilder(target) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                client.NoDelay = true;
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    server.Dispose();
                    continue;
                }
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                    _relays.Add(RelayAsync(client, server, ClientToServer));
                    _relays.Add(RelayAsync(server, client, ServerToClient));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private static async Task RelayAsync(Socket from, Socket to, WireFrameLog log)
    {
        await Task.Yield();
        var parser = new WireFrameParser();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    // An orderly close (FIN) is passed on as one.
                    log.MarkEnded();
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                parser.Feed(buffer.AsSpan(0, n), log.Add);
                int sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // A reset is passed on as a reset.
            log.MarkEnded();
            try
            {
                to.LingerState = new LingerOption(true, 0);
                to.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] relays;
        lock (_sockets)
        {
            foreach (var socket in _sockets) socket.Dispose();
            relays = [.. _relays];
        }
        await Task.WhenAll(relays).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
