using System.Net;
using System.Net.Sockets;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// One TCP connection relayed by a <see cref="ChaosProxy"/>: the client's leg (accepted) and the server's leg (dialled).
/// Faults act on it from outside while two pumps copy bytes: a reset of both legs, a stall (bytes from the server are no
/// longer read, so the server's send buffers fill as if the client had stopped reading), and a one-way cut (bytes from
/// the server are read and dropped, so the server believes they were delivered).
/// </summary>
internal sealed class ProxyLink
{
    // Small enough that a stalled link holds back the server after a few kilobytes, not the megabytes loopback allows.
    private const int ServerLegReceiveBuffer = 4096;

    private readonly Socket _client;
    private readonly Socket _server;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstDrop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private TaskCompletionSource? _resumed;
    private volatile bool _dropFromServer;
    private int _pumpsRunning = 2;

    private ProxyLink(Socket client, Socket server)
    {
        _client = client;
        _server = server;
        ServerSidePort = ((IPEndPoint)server.LocalEndPoint!).Port;
    }

    /// <summary>Dials <paramref name="targetPort"/> for an accepted client socket and starts relaying.</summary>
    public static async Task<ProxyLink> OpenAsync(Socket client, int targetPort, CancellationToken cancellationToken)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        server.ReceiveBufferSize = ServerLegReceiveBuffer;
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, cancellationToken);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        var link = new ProxyLink(client, server);
        // On the thread pool, not the test framework's synchronisation context: the pumps never wait behind test code.
        _ = Task.Run(link.PumpFromClientAsync);
        _ = Task.Run(link.PumpFromServerAsync);
        return link;
    }

    /// <summary>The local port of the server's leg: the remote port the server sees for this connection.</summary>
    public int ServerSidePort { get; }

    /// <summary>Completes once both legs are closed.</summary>
    public Task Ended => _ended.Task;

    public bool IsEnded => _ended.Task.IsCompleted;

    /// <summary>Completes when a cut (<see cref="CutServerToClient"/>) has swallowed its first bytes.</summary>
    public Task FirstDroppedFromServer => _firstDrop.Task;

    /// <summary>Resets both legs at once (linger 0): each side sees its connection reset, without a closing handshake.</summary>
    public void Reset()
    {
        ResetSocket(_client);
        ResetSocket(_server);
        Resume();
    }

    /// <summary>Stops reading from the server: the server's send buffers fill and its send queue grows.</summary>
    public void Stall()
    {
        lock (_gate) _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Reads from the server again, forwarding what piled up.</summary>
    public void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_gate)
        {
            resumed = _resumed;
            _resumed = null;
        }
        resumed?.TrySetResult();
    }

    /// <summary>From now on, bytes from the server are read and dropped: the server's direction is cut, silently.</summary>
    public void CutServerToClient() => _dropFromServer = true;

    private Task WhenResumed()
    {
        lock (_gate) return _resumed?.Task ?? Task.CompletedTask;
    }

    private async Task PumpFromServerAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                await WhenResumed();
                int n = await _server.ReceiveAsync(buffer);
                if (n == 0)
                {
                    _client.Shutdown(SocketShutdown.Send);
                    break;
                }
                if (_dropFromServer)
                {
                    _firstDrop.TrySetResult();
                    continue;
                }
                await _client.SendAsync(buffer.AsMemory(0, n));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The server reset its leg (or the client's leg failed): pass the reset on.
            ResetSocket(_client);
            ResetSocket(_server);
        }
        PumpDone();
    }

    private async Task PumpFromClientAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await _client.ReceiveAsync(buffer);
                if (n == 0)
                {
                    _server.Shutdown(SocketShutdown.Send);
                    break;
                }
                await _server.SendAsync(buffer.AsMemory(0, n));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            ResetSocket(_server);
            ResetSocket(_client);
            // A stalled pump would otherwise wait for a resume that nobody needs any more.
            Resume();
        }
        PumpDone();
    }

    private void PumpDone()
    {
        if (Interlocked.Decrement(ref _pumpsRunning) != 0) return;
        _client.Dispose();
        _server.Dispose();
        _ended.TrySetResult();
    }

    private static void ResetSocket(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
