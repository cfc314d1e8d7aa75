using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Wirehub.WebSockets;

/// <summary>
/// A memory pool for Kestrel's socket transport with larger blocks than Kestrel's 4 KiB: one receive system call
/// then takes in a whole burst of messages (and a 4 KiB message no longer straddles two blocks), and a flush of many
/// small frames fills fewer segments. Blocks live on the pinned object heap; only a bounded number are kept when
/// returned, the rest go back to the garbage collector, so a burst of connections does not leave memory behind.
/// Idle connections hold no block (the transport waits for data before renting one).
/// </summary>
public sealed class TransportMemoryPool : MemoryPool<byte>, IMemoryPoolFactory<byte>
{
    // Blocks are kept whole (wrapper and array), so a rent under load allocates nothing.
    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _blockSize;
    private readonly int _maxRetained;
    private int _retained;

    /// <summary>Creates a pool of <paramref name="blockSize"/>-byte blocks keeping at most <paramref name="maxRetainedBytes"/> idle (and at least one block).</summary>
    public TransportMemoryPool(int blockSize = 32 * 1024, long maxRetainedBytes = 4 * 1024 * 1024)
    {
        if (blockSize is < 4096 or > 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "blockSize must be between 4096 and 1048576 bytes.");
        _blockSize = blockSize;
        _maxRetained = (int)Math.Max(1, maxRetainedBytes / blockSize);
    }

    /// <inheritdoc />
    public override int MaxBufferSize => _blockSize;

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > _blockSize)
            throw new ArgumentOutOfRangeException(nameof(minBufferSize), minBufferSize, $"The pool's blocks are {_blockSize} bytes.");
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.Reopen();
            return block;
        }
        return new Block(this, GC.AllocateUninitializedArray<byte>(_blockSize, pinned: true));
    }

    /// <summary>Kestrel asks the factory for its pools; every transport shares this one.</summary>
    MemoryPool<byte> IMemoryPoolFactory<byte>.Create(MemoryPoolOptions? options) => this;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Shared by every listener for the life of the process: nothing to release early.
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= _maxRetained) _free.Enqueue(block);
        else Interlocked.Decrement(ref _retained);
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
}
