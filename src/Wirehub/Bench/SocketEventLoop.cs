using System.Runtime.InteropServices;

namespace Wirehub.Cli.Bench;

/// <summary>
/// One thread that serves many non-blocking sockets through epoll: it waits for readiness and calls each ready
/// <see cref="LoopConnection"/> directly, with no hand-off to other threads. A connection that throws is counted in
/// the run's <see cref="ErrorTally"/> and served no more.
/// </summary>
internal sealed unsafe class SocketEventLoop(ErrorTally errors) : IDisposable
{
    private const int EventCapacity = 512;

    // How often the thread looks at the stop flag when no socket is ready.
    private const int WaitMilliseconds = 50;

    private readonly int _epoll = Epoll.Create();
    private readonly List<LoopConnection> _connections = [];
    private Thread? _thread;
    private volatile bool _stopping;
    private int _failed;

    /// <summary>Adds a connection, watched for readability; all connections must be added before <see cref="Start"/>.</summary>
    public void Add(LoopConnection connection)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("Add every connection before starting the loop.");
        }

        connection.Loop = this;
        connection.Token = _connections.Count;
        _connections.Add(connection);
        Epoll.Add(_epoll, (int)connection.Socket.Handle, Epoll.In, (ulong)connection.Token);
    }

    /// <summary>Connections added and not failed; read from any thread.</summary>
    public int Open => _connections.Count - Volatile.Read(ref _failed);

    /// <summary>Starts serving on a new thread.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "bench event loop" };
        _thread.Start();
    }

    /// <summary>Stops serving and waits for the thread to finish its current round.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
    }

    public void Dispose()
    {
        Stop();
        Epoll.Close(_epoll);
    }

    /// <summary>Called on the loop thread by a connection whose send is incomplete (or just completed).</summary>
    public void Watch(LoopConnection connection, bool writable) =>
        Epoll.Modify(_epoll, (int)connection.Socket.Handle, writable ? Epoll.In | Epoll.Out : Epoll.In, (ulong)connection.Token);

    private void Run()
    {
        byte* events = (byte*)NativeMemory.Alloc((nuint)(EventCapacity * Epoll.EventSize));
        try
        {
            while (!_stopping)
            {
                int count = Epoll.Wait(_epoll, events, EventCapacity, WaitMilliseconds);
                for (int i = 0; i < count && !_stopping; i++)
                {
                    Dispatch(Epoll.EventsAt(events, i), _connections[(int)Epoll.DataAt(events, i)]);
                }
            }
        }
        finally
        {
            NativeMemory.Free(events);
        }
    }

    private void Dispatch(uint ready, LoopConnection connection)
    {
        try
        {
            if ((ready & (Epoll.In | Epoll.Error | Epoll.HangUp)) != 0)
            {
                connection.OnReadable();
            }

            if ((ready & Epoll.Out) != 0)
            {
                connection.OnWritable();
            }
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or BenchFailure)
        {
            // A failed connection leaves the loop, or a closed socket would be reported readable forever.
            errors.Record(exception);
            connection.Fail(exception);
            Volatile.Write(ref _failed, _failed + 1);
            Epoll.Delete(_epoll, (int)connection.Socket.Handle);
        }
    }
}
