using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Wirehub.WebSockets;

/// <summary>
/// A memory pool for Kestrel's socket transport with larger blocks than Kestrel's 4 KiB: one receive system call
/// then takes in a whole burst of messages (and a 4 KiB message no longer straddles two blocks), and a flush of many
/// small frames fills fewer segments. Blocks live on the pinned object heap. Returned blocks are kept while they are
/// needed: a broadcast to 10 000 connections holds a block per connection until its frame is sent, and the next
/// message reuses them instead of allocating 10 000 pinned blocks again. Blocks that no rent needed for a whole trim
/// interval go back to the garbage collector, down to an idle floor, so a burst does not leave memory behind for long.
/// Idle connections hold no block (the transport waits for data before renting one).
/// </summary>
public sealed class TransportMemoryPool : MemoryPool<byte>, IMemoryPoolFactory<byte>
{
    // Blocks are kept whole (wrapper and array), so a rent under load allocates nothing.
    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _blockSize;
    private readonly int _idleBlocks;
    private int _freeCount;
    // The fewest free blocks since the last trim: that many were not needed during the interval.
    private int _lowWater;

    /// <summary>
    /// Creates a pool of <paramref name="blockSize"/>-byte blocks. Blocks unused for a whole
    /// <paramref name="trimInterval"/> (10 s by default) are released, keeping at most <paramref name="idleRetainedBytes"/>
    /// (at least one block) for the next burst.
    /// </summary>
    public TransportMemoryPool(int blockSize = 32 * 1024, long idleRetainedBytes = 4 * 1024 * 1024, TimeSpan? trimInterval = null)
    {
        if (blockSize is < 4096 or > 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "blockSize must be between 4096 and 1048576 bytes.");
        ArgumentOutOfRangeException.ThrowIfNegative(idleRetainedBytes);
        var interval = trimInterval ?? TimeSpan.FromSeconds(10);
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(trimInterval), interval, "trimInterval must be positive.");
        _blockSize = blockSize;
        _idleBlocks = (int)Math.Max(1, idleRetainedBytes / blockSize);
        Trimmer.Start(this, interval);
    }

    /// <inheritdoc />
    public override int MaxBufferSize => _blockSize;

    /// <summary>Returned blocks waiting for a rent.</summary>
    internal int FreeBlocks => Volatile.Read(ref _freeCount);

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > _blockSize)
            throw new ArgumentOutOfRangeException(nameof(minBufferSize), minBufferSize, $"The pool's blocks are {_blockSize} bytes.");
        if (_free.TryDequeue(out var block))
        {
            int left = Interlocked.Decrement(ref _freeCount);
            // Approximate under races, which only shifts how much the next trim releases.
            if (left < Volatile.Read(ref _lowWater)) Volatile.Write(ref _lowWater, left);
            block.Reopen();
            return block;
        }
        Volatile.Write(ref _lowWater, 0);
        return new Block(this, GC.AllocateUninitializedArray<byte>(_blockSize, pinned: true));
    }

    /// <summary>Kestrel asks the factory for its pools; every transport shares this one.</summary>
    MemoryPool<byte> IMemoryPoolFactory<byte>.Create(MemoryPoolOptions? options) => this;

    /// <summary>
    /// Releases the blocks that stayed free since the previous trim, beyond the idle floor, and starts a new interval.
    /// Runs every trim interval.
    /// </summary>
    internal void Trim()
    {
        int unneeded = Math.Min(Volatile.Read(ref _lowWater), Volatile.Read(ref _freeCount));
        for (int i = _idleBlocks; i < unneeded && _free.TryDequeue(out _); i++) Interlocked.Decrement(ref _freeCount);
        Volatile.Write(ref _lowWater, Volatile.Read(ref _freeCount));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Shared by every listener for the life of the process: nothing to release early.
    }

    private void Return(Block block)
    {
        _free.Enqueue(block);
        Interlocked.Increment(ref _freeCount);
    }

    private sealed class Block(TransportMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private int _rented = 1;

        public Memory<byte> Memory => Volatile.Read(ref _rented) == 1 ? array : throw new ObjectDisposedException(nameof(Block));

        public void Reopen() => Volatile.Write(ref _rented, 1);

        public void Dispose()
        {
            // Only the first dispose of a rent returns the block.
            if (Interlocked.Exchange(ref _rented, 0) == 1) pool.Return(this);
        }
    }

    /// <summary>The periodic trim. It holds the pool weakly, so an abandoned pool is collected and its timer stops.</summary>
    private sealed class Trimmer
    {
        private readonly WeakReference<TransportMemoryPool> _pool;
        private Timer? _timer;

        private Trimmer(TransportMemoryPool pool) => _pool = new WeakReference<TransportMemoryPool>(pool);

        public static void Start(TransportMemoryPool pool, TimeSpan interval)
        {
            var trimmer = new Trimmer(pool);
            // No execution context flows into the timer: it must not keep a request's state alive.
            using (ExecutionContext.SuppressFlow())
                trimmer._timer = new Timer(static state => ((Trimmer)state!).Tick(), trimmer, interval, interval);
        }

        private void Tick()
        {
            if (_pool.TryGetTarget(out var pool)) pool.Trim();
            else _timer?.Dispose();
        }
    }
}
