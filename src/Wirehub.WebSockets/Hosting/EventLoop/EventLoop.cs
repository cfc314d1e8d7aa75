using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Wirehub.WebSockets;

/// <summary>
/// One thread waiting on one epoll set: it reads ready sockets straight into their input pipes, which runs the
/// connections' handlers inline, and it sends what those handlers wrote once per round, after every ready socket has
/// been served. So a burst of messages on one connection becomes one receive and one send, with no hand-off between
/// threads. Sends started on other threads (a broadcast, a timer) run inline on that thread instead.
/// </summary>
internal sealed unsafe class EventLoop
{
    private const int EventCapacity = 256;
    private const ulong WakeupToken = ulong.MaxValue;
    // Listening sockets carry tokens counting down from here; connections carry their descriptor.
    private const ulong FirstListenerToken = ulong.MaxValue - 1;
    private const int MaxListeners = 1024;

    [ThreadStatic]
    private static EventLoop? t_current;

    private readonly EventLoopTransport _transport;
    private readonly int _wakeup;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    // Continuations (sends) deferred to the end of the round; two lists so that work deferred while running continues.
    private List<(Action<object?> Action, object? State)> _deferred = new(64);
    private List<(Action<object?> Action, object? State)> _running = new(64);
    private readonly ConcurrentQueue<EventLoopConnection> _closing = new();
    private readonly Lock _listenersLock = new();
    private EventLoopListener[] _listeners = [];
    private volatile bool _stopping;
    // Guards _exited against Close and Stop: once the thread has exited, its descriptors are closed and their numbers
    // may belong to something else, so nothing may signal or watch through them.
    private readonly Lock _exitLock = new();
    private bool _exited;

    public EventLoop(EventLoopTransport transport, int index, ILogger logger)
    {
        _transport = transport;
        _logger = logger;
        Epoll = LinuxSockets.CreateEpoll();
        _wakeup = LinuxSockets.CreateWakeup();
        LinuxSockets.Watch(Epoll, _wakeup, LinuxSockets.ReadableEvent, WakeupToken, add: true);
        _thread = new Thread(Run) { IsBackground = true, Name = $"Wirehub event loop {index}" };
        _thread.UnsafeStart();
    }

    /// <summary>The epoll descriptor; connections register themselves on it.</summary>
    public int Epoll { get; }

    /// <summary>The loop whose thread this is, or null on any other thread.</summary>
    public static EventLoop? Current => t_current;

    /// <summary>Runs <paramref name="action"/> at the end of this round; call on the loop's own thread only.</summary>
    public void Defer(Action<object?> action, object? state) => _deferred.Add((action, state));

    /// <summary>Makes this loop accept the listener's connections (again, after <see cref="StopServing"/>).</summary>
    public void Serve(EventLoopListener listener)
    {
        int slot;
        lock (_listenersLock)
        {
            slot = Array.IndexOf(_listeners, listener);
            if (slot < 0)
            {
                if (_listeners.Length == MaxListeners) throw new InvalidOperationException($"An event loop serves at most {MaxListeners} listening sockets.");
                slot = _listeners.Length;
                Volatile.Write(ref _listeners, [.. _listeners, listener]);
            }
        }
        int error = LinuxSockets.Watch(Epoll, listener.Descriptor, LinuxSockets.ReadableEvent, FirstListenerToken - (ulong)slot, add: true);
        if (error != 0) throw new IOException($"epoll_ctl could not watch the listening socket (errno {error}).");
    }

    /// <summary>Stops accepting from the listener until it is served again.</summary>
    public void StopServing(EventLoopListener listener) => LinuxSockets.Unwatch(Epoll, listener.Descriptor);

    /// <summary>Closes a connection's descriptor on the loop thread, after any event already taken for it is handled.</summary>
    public void Close(EventLoopConnection connection)
    {
        lock (_exitLock)
        {
            if (!_exited)
            {
                _closing.Enqueue(connection);
                LinuxSockets.Signal(_wakeup);
                return;
            }
        }
        // No loop thread any more to race with.
        connection.CloseDescriptor();
    }

    /// <summary>False once the loop has stopped; then connections leave epoll alone.</summary>
    public bool Running => !Volatile.Read(ref _exited);

    public void Stop()
    {
        lock (_exitLock)
        {
            _stopping = true;
            if (!_exited) LinuxSockets.Signal(_wakeup);
        }
    }

    private void Run()
    {
        t_current = this;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(EventCapacity * LinuxSockets.EventSize));
        try
        {
            while (!_stopping)
            {
                int count = LinuxSockets.Wait(Epoll, events, EventCapacity, -1);
                if (count < 0)
                {
                    int error = LinuxSockets.LastError;
                    if (error == LinuxSockets.Interrupted) continue;
                    EventLoopLog.LoopFailed(_logger, error);
                    return;
                }
                for (int i = 0; i < count; i++)
                {
                    Dispatch(LinuxSockets.EventsAt(events, i), LinuxSockets.DataAt(events, i));
                }
                RunDeferred();
                CloseRequested();
            }
        }
        finally
        {
            NativeMemory.Free(events);
            lock (_exitLock)
            {
                Volatile.Write(ref _exited, true);
            }
            CloseRequested();
            LinuxSockets.Close(_wakeup);
            LinuxSockets.Close(Epoll);
        }
    }

    private void Dispatch(uint events, ulong token)
    {
        try
        {
            if (token == WakeupToken) LinuxSockets.ClearSignal(_wakeup);
            else if (token > FirstListenerToken - MaxListeners)
            {
                var listeners = Volatile.Read(ref _listeners);
                int slot = (int)(FirstListenerToken - token);
                if (slot < listeners.Length) listeners[slot].AcceptPending();
            }
            else if (_transport.Find((int)token) is { } connection)
            {
                if ((events & (LinuxSockets.WritableEvent | LinuxSockets.ErrorEvent | LinuxSockets.HangUpEvent)) != 0) connection.OnWritable();
                if ((events & (LinuxSockets.ReadableEvent | LinuxSockets.ErrorEvent | LinuxSockets.HangUpEvent)) != 0) connection.OnReadable();
            }
        }
        catch (Exception ex)
        {
            // A handler's failure stays with its connection; the loop serves everyone else.
            EventLoopLog.EventFailed(_logger, ex);
        }
    }

    private void RunDeferred()
    {
        while (_deferred.Count > 0)
        {
            (_running, _deferred) = (_deferred, _running);
            foreach (var (action, state) in CollectionsMarshal.AsSpan(_running))
            {
                try { action(state); }
                catch (Exception ex) { EventLoopLog.EventFailed(_logger, ex); }
            }
            _running.Clear();
        }
    }

    private void CloseRequested()
    {
        while (_closing.TryDequeue(out var connection)) connection.CloseDescriptor();
    }
}
