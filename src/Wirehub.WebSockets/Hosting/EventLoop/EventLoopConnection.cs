using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Wirehub.WebSockets;

/// <summary>
/// One accepted socket on an event loop. Receiving: when the socket is readable the loop reads what is there into the
/// connection's <see cref="SocketInput"/>, which runs the handler inline; a handler that falls behind pauses reading
/// until it catches up. Sending: the output pipe's reader is a callback, not a task, that sends everything buffered in
/// one sendmsg and, when the socket is full, waits for writability. An idle connection holds no buffer and no pending
/// task of its own. The descriptor is closed on the loop thread, after Kestrel disposes the connection.
/// </summary>
internal sealed partial class EventLoopConnection : ConnectionContext
{
    // How long disposing waits for buffered output to reach a peer that stopped reading.
    private static readonly TimeSpan s_sendDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly EventLoopTransport _transport;
    private readonly EventLoop _loop;
    private readonly SocketInput _input;
    private readonly Pipe _output;
    private readonly Action _onOutputReady;
    private readonly CancellationTokenSource _closed = new();
    private IDictionary<object, object?>? _items;
    private EndPoint? _remoteEndPoint;
    private ValueTask<ReadResult> _pendingRead;
    private TaskCompletionSource? _sendsDone;
    // Socket state, changed under `lock (this)` (the lock is only contended when several threads close or abort).
    private bool _readingPaused;
    private bool _inputDone;
    private bool _waitingForWritable;
    private bool _outputDone;
    private bool _watched;
    private bool _descriptorClosed;
    private int _disposed;

    public EventLoopConnection(EventLoopTransport transport, EventLoop loop, int descriptor, EndPoint local, long id)
    {
        _transport = transport;
        _loop = loop;
        Descriptor = descriptor;
        LocalEndPoint = local;
        ConnectionId = "W" + id.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        _input = new SocketInput(this, transport.Pool);
        _output = new Pipe(transport.OutputOptions);
        Transport = new DuplexPipe(_input, _output.Writer);
        _onOutputReady = OnOutputReady;
    }

    internal int Descriptor { get; }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features => this;

    /// <summary>Asked of the socket each time rather than kept (most handlers never look, and idle connections add up), unless set.</summary>
    public override EndPoint? RemoteEndPoint
    {
        get
        {
            if (_remoteEndPoint is not null) return _remoteEndPoint;
            lock (this)
            {
                return _descriptorClosed ? null : LinuxSockets.PeerOf(Descriptor);
            }
        }
        set => _remoteEndPoint = value;
    }

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException("The connection's closed token belongs to the transport.");
    }

    /// <summary>Registers the socket with its loop and starts waiting for output.</summary>
    internal void StartWatching()
    {
        lock (this)
        {
            UpdateInterestLocked();
        }
        PumpSends();
    }

    /// <summary>The socket is readable (or failed): read what is there into the input. Loop thread.</summary>
    internal void OnReadable()
    {
        if (_readingPaused || _inputDone) return;
        long total = 0;
        Exception? error = null;
        bool ended = false;
        bool keepReading = true;
        while (true)
        {
            var memory = _input.GetReceiveMemory();
            nint n = LinuxSockets.Receive(Descriptor, memory.Span);
            if (n > 0)
            {
                // Wakes the handler, which runs inline before the next receive.
                keepReading = _input.Publish((int)n);
                total += n;
                // A short read emptied the socket; a long one may have left more, up to a fair share per round.
                if (!keepReading || n < memory.Length || total >= 256 * 1024) break;
                continue;
            }
            _input.Publish(0);
            if (n == 0) { ended = true; break; }
            int errno = LinuxSockets.LastError;
            if (errno == LinuxSockets.TryAgain) break;
            if (errno == LinuxSockets.Interrupted) continue;
            error = new ConnectionResetException($"The connection broke while receiving (errno {errno}).");
            break;
        }
        if (ended || error is not null)
        {
            StopReading();
            _input.CompleteReceiving(error);
            CancelClosedToken();
            return;
        }
        if (keepReading) return;
        // The handler is behind: stop reading until it consumes enough (ResumeReading).
        lock (this)
        {
            _readingPaused = true;
            UpdateInterestLocked();
        }
    }

    /// <summary>The handler consumed enough of a paused input: read the socket again.</summary>
    internal void ResumeReading()
    {
        lock (this)
        {
            _readingPaused = false;
            UpdateInterestLocked();
        }
    }

    /// <summary>The stream ended, or the handler completed its input: nothing more is read.</summary>
    internal void StopReading()
    {
        lock (this)
        {
            _inputDone = true;
            UpdateInterestLocked();
        }
    }

    /// <summary>The socket is writable again (or failed): resume sending. Loop thread.</summary>
    internal void OnWritable()
    {
        lock (this)
        {
            if (!_waitingForWritable) return;
            _waitingForWritable = false;
            UpdateInterestLocked();
        }
        PumpSends();
    }

    private void OnOutputReady()
    {
        var read = _pendingRead;
        _pendingRead = default;
        if (SendRead(read)) PumpSends();
    }

    /// <summary>Sends whatever the output holds until it is empty (then waits for more) or the socket is full.</summary>
    private void PumpSends()
    {
        while (true)
        {
            ValueTask<ReadResult> read;
            try { read = _output.Reader.ReadAsync(); }
            catch (Exception ex)
            {
                FinishSending(ex);
                return;
            }
            if (!read.IsCompleted)
            {
                _pendingRead = read;
                read.GetAwaiter().UnsafeOnCompleted(_onOutputReady);
                return;
            }
            if (!SendRead(read)) return;
        }
    }

    /// <summary>Sends a completed read of the output; true when the pump should read again.</summary>
    private bool SendRead(ValueTask<ReadResult> read)
    {
        ReadResult result;
        try { result = read.Result; }
        catch (Exception ex)
        {
            FinishSending(ex);
            return false;
        }
        return SendBuffered(result);
    }

    /// <summary>Sends one read's buffers; true when the pump should read again.</summary>
    private unsafe bool SendBuffered(ReadResult result)
    {
        var reader = _output.Reader;
        var buffer = result.Buffer;
        nint* vectors = stackalloc nint[LinuxSockets.MaxSendBuffers * 2];
        while (!buffer.IsEmpty)
        {
            int count = 0;
            PinnedSegments handles = default;
            long offered = 0;
            try
            {
                foreach (var segment in buffer)
                {
                    if (segment.IsEmpty) continue;
                    handles[count] = segment.Pin();
                    vectors[count * 2] = (nint)handles[count].Pointer;
                    vectors[count * 2 + 1] = segment.Length;
                    offered += segment.Length;
                    if (++count == LinuxSockets.MaxSendBuffers) break;
                }
                nint sent = LinuxSockets.Send(Descriptor, vectors, count);
                if (sent < 0)
                {
                    int errno = LinuxSockets.LastError;
                    if (errno == LinuxSockets.Interrupted) continue;
                    if (errno != LinuxSockets.TryAgain)
                    {
                        reader.AdvanceTo(buffer.End);
                        FinishSending(new ConnectionResetException($"The connection broke while sending (errno {errno})."));
                        return false;
                    }
                    sent = 0;
                }
                buffer = buffer.Slice(sent);
                if (sent < offered)
                {
                    // The socket's send buffer is full: keep the rest and wait until it drains.
                    reader.AdvanceTo(buffer.Start);
                    lock (this)
                    {
                        if (_descriptorClosed) return false;
                        _waitingForWritable = true;
                        UpdateInterestLocked();
                    }
                    return false;
                }
            }
            finally
            {
                for (int i = 0; i < count; i++) handles[i].Dispose();
            }
        }
        reader.AdvanceTo(buffer.End);
        if (result.IsCompleted || result.IsCanceled)
        {
            // The application finished writing: everything is sent, so end our side of the stream (FIN).
            FinishSending(null);
            return false;
        }
        return true;
    }

    private void FinishSending(Exception? error)
    {
        TaskCompletionSource? done;
        lock (this)
        {
            if (_outputDone) return;
            _outputDone = true;
            _waitingForWritable = false;
            if (!_descriptorClosed) LinuxSockets.Shutdown(Descriptor, error is null ? LinuxSockets.ShutdownWrite : LinuxSockets.ShutdownBoth);
            UpdateInterestLocked();
            done = _sendsDone;
        }
        _output.Reader.Complete(error);
        // A failed send also ended reading (shutdown both ways): the loop sees the end and completes the input.
        if (error is not null) CancelClosedToken();
        done?.TrySetResult();
    }

    /// <summary>Tells epoll what this socket waits for now; removes it when it waits for nothing. Under the lock.</summary>
    private void UpdateInterestLocked()
    {
        if (_descriptorClosed || !_loop.Running) return;
        uint events = 0;
        if (!_inputDone && !_readingPaused) events |= LinuxSockets.ReadableEvent;
        if (_waitingForWritable) events |= LinuxSockets.WritableEvent;
        if (events == 0)
        {
            // Registered with no interest, a hung-up socket would still report EPOLLHUP on every round.
            if (_watched) LinuxSockets.Unwatch(_loop.Epoll, Descriptor);
            _watched = false;
            return;
        }
        LinuxSockets.Watch(_loop.Epoll, Descriptor, events, (ulong)Descriptor, add: !_watched);
        _watched = true;
    }

    private void CancelClosedToken()
    {
        if (_closed.IsCancellationRequested) return;
        // Off the loop: the token's callbacks are the application's.
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            try { state.Cancel(); }
            catch (ObjectDisposedException) { }
        }, _closed, preferLocal: false);
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        lock (this)
        {
            if (!_descriptorClosed) LinuxSockets.Shutdown(Descriptor, LinuxSockets.ShutdownBoth);
        }
        // The loop then reads the end of the stream and completes the input on its own thread.
        _output.Reader.CancelPendingRead();
        CancelClosedToken();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _output.Writer.Complete();
        _input.Complete();
        Task? sends = null;
        lock (this)
        {
            if (!_outputDone) sends = (_sendsDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (sends is not null)
        {
            try { await sends.WaitAsync(s_sendDrainTimeout).ConfigureAwait(false); }
            catch (TimeoutException)
            {
                // The peer stopped reading: give up on what it has not taken.
                FinishSending(new ConnectionAbortedException("The peer did not read the connection's last bytes in time."));
            }
        }
        CancelClosedToken();
        _loop.Close(this);
    }

    /// <summary>Closes the descriptor; on the loop thread, so no event for it is handled after it is reused.</summary>
    internal void CloseDescriptor()
    {
        lock (this)
        {
            if (_descriptorClosed) return;
            if (_watched && _loop.Running) LinuxSockets.Unwatch(_loop.Epoll, Descriptor);
            _watched = false;
            _transport.Forget(this);
            LinuxSockets.Close(Descriptor);
            _descriptorClosed = true;
            _inputDone = true;
        }
        _input.CompleteReceiving(null);
    }

    [InlineArray(LinuxSockets.MaxSendBuffers)]
    private struct PinnedSegments
    {
        private MemoryHandle _first;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }
}
