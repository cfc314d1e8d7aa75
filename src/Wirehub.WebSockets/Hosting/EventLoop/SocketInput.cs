using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace Wirehub.WebSockets;

/// <summary>
/// An event-loop connection's input, as the <see cref="PipeReader"/> its handler reads: the loop thread appends what it
/// receives to pooled blocks and the handler's pending read completes inline, on the loop thread. It does what a
/// <see cref="Pipe"/> does for one writer and one reader in one object, and gives every block back once the handler
/// has consumed everything, so an idle connection holds no buffer and few objects.
/// </summary>
internal sealed class SocketInput : PipeReader, IValueTaskSource<ReadResult>
{
    // Unconsumed bytes past which the loop stops reading the socket, and below which it starts again.
    private const long PauseThreshold = 1024 * 1024;
    private const long ResumeThreshold = 512 * 1024;

    // The least free space one receive is given, as a Pipe does for a size hint.
    private const int MinimumReceive = 16 * 1024;

    private readonly EventLoopConnection _connection;
    private readonly MemoryPool<byte> _pool;
    private Segment? _head;
    private int _headIndex;
    private Segment? _tail;
    private Segment? _spare;
    private long _examined;
    private ManualResetValueTaskSourceCore<ReadResult> _pending;
    private CancellationTokenRegistration _cancellation;
    private Exception? _writerError;
    private bool _awaiting;
    private bool _cancelNext;
    private bool _writing;
    private bool _writerDone;
    private bool _readerDone;
    private bool _paused;

    public SocketInput(EventLoopConnection connection, MemoryPool<byte> pool)
    {
        _connection = connection;
        _pool = pool;
    }

    // The running index just past the last byte received.
    private long WrittenEnd => _tail is null ? 0 : _tail.RunningIndex + _tail.End;

    private long Consumed => _head is null ? 0 : _head.RunningIndex + _headIndex;

    /// <summary>A block's free space to receive into (loop thread); <see cref="Publish"/> says how much was used.</summary>
    public Memory<byte> GetReceiveMemory()
    {
        lock (this)
        {
            _writing = true;
            if (_tail is null)
            {
                _head = _tail = TakeSegment(0);
                _headIndex = 0;
            }
            else if (_tail.Available.Length - _tail.End < MinimumReceive)
            {
                // Too little room left for a worthwhile receive: the next block takes it.
                var next = TakeSegment(_tail.RunningIndex + _tail.End);
                _tail.Link(next);
                _tail = next;
            }
            return _tail.Available[_tail.End..];
        }
    }

    /// <summary>
    /// Makes <paramref name="count"/> received bytes readable and wakes the handler, inline. Returns false when so much
    /// is unconsumed that the loop should stop reading until <see cref="EventLoopConnection.ResumeReading"/>.
    /// </summary>
    public bool Publish(int count)
    {
        bool wake;
        ReadResult result = default;
        bool keepReading;
        lock (this)
        {
            _writing = false;
            _tail!.Advance(count);
            wake = _awaiting && WrittenEnd > _examined;
            if (wake)
            {
                _awaiting = false;
                result = new ReadResult(BufferLocked(), isCanceled: false, isCompleted: _writerDone);
            }
            _paused = WrittenEnd - Consumed >= PauseThreshold;
            keepReading = !_paused;
        }
        if (wake) Wake(result);
        return keepReading;
    }

    /// <summary>The socket's stream ended (<paramref name="error"/> null) or broke: the handler reads to the end.</summary>
    public void CompleteReceiving(Exception? error)
    {
        bool wake;
        ReadResult result = default;
        lock (this)
        {
            _writing = false;
            if (_writerDone) return;
            _writerDone = true;
            _writerError = error;
            wake = _awaiting;
            if (wake)
            {
                _awaiting = false;
                result = new ReadResult(BufferLocked(), isCanceled: false, isCompleted: true);
            }
        }
        if (!wake) return;
        if (error is not null) WakeWithError(error);
        else Wake(result);
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<ReadResult>(cancellationToken);
        lock (this)
        {
            if (_readerDone) throw new InvalidOperationException("Reading is not allowed after the reader was completed.");
            if (_awaiting) throw new InvalidOperationException("A read is already pending on this connection.");
            if (TryReadLocked(out var result)) return new ValueTask<ReadResult>(result);
            _awaiting = true;
            _pending.Reset();
            _pending.RunContinuationsAsynchronously = false;
            if (cancellationToken.CanBeCanceled)
                _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((SocketInput)state!).CancelRead(token), this);
            return new ValueTask<ReadResult>(this, _pending.Version);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (this)
        {
            if (_readerDone) throw new InvalidOperationException("Reading is not allowed after the reader was completed.");
            return TryReadLocked(out result);
        }
    }

    private bool TryReadLocked(out ReadResult result)
    {
        if (_writerDone && _writerError is not null)
        {
            var error = _writerError;
            _writerError = null;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
        if (_cancelNext)
        {
            _cancelNext = false;
            result = new ReadResult(BufferLocked(), isCanceled: true, isCompleted: _writerDone);
            return true;
        }
        if (WrittenEnd > _examined || _writerDone)
        {
            result = new ReadResult(BufferLocked(), isCanceled: false, isCompleted: _writerDone);
            return true;
        }
        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        bool resume = false;
        lock (this)
        {
            if (_readerDone) throw new InvalidOperationException("Reading is not allowed after the reader was completed.");
            if (consumed.GetObject() is Segment consumedSegment)
            {
                while (_head is not null && _head != consumedSegment)
                {
                    var done = _head;
                    _head = (Segment?)done.Next;
                    Recycle(done);
                }
                _headIndex = consumed.GetInteger();
                if (examined.GetObject() is Segment examinedSegment)
                    _examined = Math.Max(_examined, examinedSegment.RunningIndex + examined.GetInteger());
                // Everything consumed and the loop not receiving into it: the block goes back to the pool, and positions
                // start again from zero with the next block.
                if (_head is null || (_head == _tail && _headIndex == _tail.End && !_writing))
                {
                    if (_tail is not null && !_writing) Recycle(_tail);
                    if (!_writing)
                    {
                        _head = _tail = null;
                        _headIndex = 0;
                        _examined = 0;
                    }
                }
            }
            if (_paused && WrittenEnd - Consumed < ResumeThreshold)
            {
                _paused = false;
                resume = true;
            }
        }
        if (resume) _connection.ResumeReading();
    }

    public override void CancelPendingRead()
    {
        bool wake;
        ReadResult result = default;
        lock (this)
        {
            wake = _awaiting;
            if (wake)
            {
                _awaiting = false;
                result = new ReadResult(BufferLocked(), isCanceled: true, isCompleted: _writerDone);
            }
            else
            {
                _cancelNext = true;
            }
        }
        if (wake) Wake(result);
    }

    public override void Complete(Exception? exception = null)
    {
        lock (this)
        {
            if (_readerDone) return;
            _readerDone = true;
            while (_head is not null)
            {
                var done = _head;
                _head = (Segment?)done.Next;
                if (done != _tail || !_writing) Recycle(done);
            }
            if (!_writing) _tail = null;
            _spare = null;
        }
        _connection.StopReading();
    }

    private void CancelRead(CancellationToken token)
    {
        lock (this)
        {
            if (!_awaiting) return;
            _awaiting = false;
        }
        WakeWithError(new OperationCanceledException(token));
    }

    private void Wake(ReadResult result)
    {
        _cancellation.Dispose();
        _cancellation = default;
        _pending.SetResult(result);
    }

    private void WakeWithError(Exception error)
    {
        _cancellation.Dispose();
        _cancellation = default;
        _pending.SetException(error);
    }

    private ReadOnlySequence<byte> BufferLocked() =>
        _head is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_head, _headIndex, _tail!, _tail!.End);

    private Segment TakeSegment(long runningIndex)
    {
        var segment = _spare ?? new Segment();
        _spare = null;
        segment.Reset(_pool.Rent(), runningIndex);
        return segment;
    }

    private void Recycle(Segment segment)
    {
        segment.Release();
        _spare ??= segment;
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _pending.OnCompleted(continuation, state, token, flags);

    /// <summary>A block of received bytes in the chain the handler reads.</summary>
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        private IMemoryOwner<byte>? _owner;

        // Not kept in a field of its own: a connection holds its last segment while idle.
        public Memory<byte> Available => _owner?.Memory ?? default;

        public int End { get; private set; }

        public void Reset(IMemoryOwner<byte> owner, long runningIndex)
        {
            _owner = owner;
            End = 0;
            RunningIndex = runningIndex;
            Memory = default;
            Next = null;
        }

        public void Link(Segment next) => Next = next;

        public void Advance(int count)
        {
            End += count;
            Memory = Available[..End];
        }

        public void Release()
        {
            _owner?.Dispose();
            _owner = null;
            Memory = default;
            Next = null;
            End = 0;
        }
    }
}
