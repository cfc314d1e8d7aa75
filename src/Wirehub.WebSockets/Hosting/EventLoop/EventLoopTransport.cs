using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wirehub.WebSockets;

/// <summary>
/// A Kestrel transport for Linux that serves TCP sockets from event-loop threads (one per core) instead of Kestrel's
/// socket transport. Handlers run inline on the loop that read their data and sends leave once per loop round, which
/// removes the thread hand-offs that dominate small-message and handshake costs. Registered by
/// <c>AddEventLoopTransport</c>.
/// </summary>
internal sealed class EventLoopTransport : IConnectionListenerFactory, IAsyncDisposable
{
    private readonly Lock _tableLock = new();
    private EventLoop[]? _loops;
    // Connections by descriptor: epoll events carry the descriptor, and a descriptor names one open connection at a time.
    private EventLoopConnection?[] _byDescriptor = new EventLoopConnection?[1024];
    private int _nextLoop;
    private long _connectionIds;

    public EventLoopTransport(ILoggerFactory? loggerFactory = null)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The event-loop transport needs Linux (epoll); use Kestrel's socket transport elsewhere.");
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Wirehub.WebSockets.EventLoopTransport");
        var pool = new TransportMemoryPool();
        Pool = pool;
        // Output sends at the end of the loop's round, or at once on any other thread.
        OutputOptions = new PipeOptions(pool, readerScheduler: new RoundEndScheduler(), writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false);
    }

    internal MemoryPool<byte> Pool { get; }

    internal PipeOptions OutputOptions { get; }

    internal ILogger Logger { get; }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint ip)
            throw new NotSupportedException($"The event-loop transport serves TCP endpoints only, not {endpoint.GetType().Name}.");
        var listener = new EventLoopListener(this, ip);
        Loops()[0].Serve(listener);
        return ValueTask.FromResult<IConnectionListener>(listener);
    }

    /// <summary>Registers an accepted descriptor and hands it to the next loop, round robin.</summary>
    internal EventLoopConnection Adopt(int descriptor, EndPoint local)
    {
        var loops = Loops();
        var loop = loops[_nextLoop++ % loops.Length];
        var connection = new EventLoopConnection(this, loop, descriptor, local, Interlocked.Increment(ref _connectionIds));
        lock (_tableLock)
        {
            if (descriptor >= _byDescriptor.Length)
            {
                var larger = new EventLoopConnection?[Math.Max(descriptor + 1, _byDescriptor.Length * 2)];
                _byDescriptor.CopyTo(larger, 0);
                Volatile.Write(ref _byDescriptor, larger);
            }
            _byDescriptor[descriptor] = connection;
        }
        connection.StartWatching();
        return connection;
    }

    internal EventLoopConnection? Find(int descriptor)
    {
        var table = Volatile.Read(ref _byDescriptor);
        return (uint)descriptor < (uint)table.Length ? table[descriptor] : null;
    }

    internal void Forget(EventLoopConnection connection)
    {
        lock (_tableLock)
        {
            if (_byDescriptor[connection.Descriptor] == connection) _byDescriptor[connection.Descriptor] = null;
        }
    }

    internal void Serve(EventLoopListener listener)
    {
        var loops = _loops;
        if (loops is not null) loops[0].Serve(listener);
    }

    internal void StopServing(EventLoopListener listener)
    {
        var loops = _loops;
        if (loops is not null) loops[0].StopServing(listener);
    }

    public ValueTask DisposeAsync()
    {
        var loops = Interlocked.Exchange(ref _loops, null);
        if (loops is not null) foreach (var loop in loops) loop.Stop();
        return default;
    }

    private EventLoop[] Loops()
    {
        var loops = _loops;
        if (loops is not null) return loops;
        lock (_tableLock)
        {
            if (_loops is null)
            {
                var created = new EventLoop[Math.Max(1, Environment.ProcessorCount)];
                for (int i = 0; i < created.Length; i++) created[i] = new EventLoop(this, i, Logger);
                _loops = created;
            }
            return _loops;
        }
    }
}
