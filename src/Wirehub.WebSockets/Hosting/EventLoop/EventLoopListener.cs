using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Wirehub.WebSockets;

/// <summary>
/// A listening TCP socket served by the first event loop: it accepts every pending connection when the socket is
/// readable and queues them for Kestrel. Connections never take the process's last descriptors: the runtime needs a few
/// to start a thread or load an assembly, and fails the whole process without them ("Out of memory."). So a connection
/// whose descriptor is within <see cref="DescriptorHeadroom"/> of the open-files limit is closed at once, and at the
/// limit itself the connection is accepted on a descriptor kept in reserve and closed: refused, not left pending.
/// </summary>
internal sealed class EventLoopListener : IConnectionListener
{
    private readonly EventLoopTransport _transport;
    private readonly Socket _socket;
    private readonly Channel<ConnectionContext> _accepted =
        Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleWriter = true, AllowSynchronousContinuations = false });
    /// <summary>Descriptors below the open-files limit that connections leave to the rest of the process.</summary>
    internal const int DescriptorHeadroom = 32;

    private static readonly TimeSpan AcceptPause = TimeSpan.FromMilliseconds(100);
    private int _spare;
    private Timer? _resume;
    private int _unbound;

    public EventLoopListener(EventLoopTransport transport, IPEndPoint endpoint)
    {
        _transport = transport;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any)) _socket.DualMode = true;
            _socket.Bind(endpoint);
            _socket.Listen(1024);
            _socket.Blocking = false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            _socket.Dispose();
            throw new AddressInUseException($"{endpoint} is already in use: stop what listens there or choose another port.", ex);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        EndPoint = _socket.LocalEndPoint!;
        Descriptor = (int)_socket.Handle;
        _spare = LinuxSockets.OpenSpare();
    }

    public EndPoint EndPoint { get; }

    internal int Descriptor { get; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Accepts every pending connection (on the loop thread).</summary>
    internal void AcceptPending()
    {
        while (Volatile.Read(ref _unbound) == 0)
        {
            int fd = LinuxSockets.Accept(Descriptor);
            if (fd >= 0)
            {
                // Descriptors are allocated lowest first, so the number says how close the process is to its limit.
                if (fd >= LinuxSockets.OpenFilesLimit() - DescriptorHeadroom)
                {
                    LinuxSockets.Close(fd);
                    CountRefused(LinuxSockets.TooManyFiles);
                    continue;
                }
                _accepted.Writer.TryWrite(_transport.Adopt(fd, EndPoint));
                continue;
            }
            int error = LinuxSockets.LastError;
            if (error == LinuxSockets.TryAgain) return;
            if (error is LinuxSockets.TooManyFiles or LinuxSockets.FileTableFull or LinuxSockets.NoBuffers or LinuxSockets.NoMemory)
            {
                if (!Refuse(error)) return;
                continue;
            }
            // ECONNABORTED and the like concern that one connection only.
            EventLoopLog.AcceptFailed(_transport.Logger, error);
        }
    }

    // Out of descriptors or memory: free the reserve, take the connection off the queue, close it, take the reserve back.
    // Returns false when there is no reserve to use (something else took the freed descriptor): accepting then pauses
    // briefly, leaving connections in the kernel's queue, rather than spinning on a socket that stays readable.
    private bool Refuse(int error)
    {
        CountRefused(error);
        if (_spare < 0) _spare = LinuxSockets.OpenSpare();
        if (_spare < 0)
        {
            _transport.StopServing(this);
            _resume ??= new Timer(static state => ((EventLoopListener)state!).Resume(), this, Timeout.Infinite, Timeout.Infinite);
            _resume.Change(AcceptPause, Timeout.InfiniteTimeSpan);
            return false;
        }
        LinuxSockets.Close(_spare);
        int fd = LinuxSockets.Accept(Descriptor);
        if (fd >= 0) LinuxSockets.Close(fd);
        _spare = LinuxSockets.OpenSpare();
        return true;
    }

    private void CountRefused(int error)
    {
        WebSocketMetrics.HandshakeRefused(HandshakeFailure.ResourceLimit);
        EventLoopLog.ConnectionRefused(_transport.Logger, error);
    }

    private void Resume()
    {
        if (Volatile.Read(ref _unbound) == 0) _transport.Serve(this);
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _unbound, 1) == 0)
        {
            _transport.StopServing(this);
            _accepted.Writer.TryComplete();
        }
        return default;
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync().ConfigureAwait(false);
        if (_resume is not null) await _resume.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_spare >= 0) LinuxSockets.Close(_spare);
        _spare = -1;
    }
}
