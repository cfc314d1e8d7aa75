using System.Buffers;

namespace Wirehub.WebSockets;

/// <summary>
/// A growable buffer rented from the shared array pool, used to assemble fragmented or inflated messages and to
/// hold compressed output. Returned to the pool by <see cref="Release"/>, so an idle connection holds none.
/// </summary>
internal sealed class MessageBuffer : IBufferWriter<byte>
{
    private const int MinimumSize = 256;
    private byte[]? _array;
    private int _written;

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _array is null ? ReadOnlyMemory<byte>.Empty : _array.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _array is null ? ReadOnlySpan<byte>.Empty : _array.AsSpan(0, _written);

    public Span<byte> WrittenSpanMutable => _array is null ? Span<byte>.Empty : _array.AsSpan(0, _written);

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_array?.Length - _written ?? 0))
            throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Forgets the content but keeps the array (for reuse within one burst of work).</summary>
    public void Clear() => _written = 0;

    /// <summary>Returns the array to the pool.</summary>
    public void Release()
    {
        var array = _array;
        _array = null;
        _written = 0;
        if (array is not null) ArrayPool<byte>.Shared.Return(array);
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_array))]
    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_array is not null && _array.Length - _written >= sizeHint) return;
        long needed = (long)_written + sizeHint;
        long size = Math.Max(MinimumSize, (_array?.Length ?? 0) * 2L);
        while (size < needed) size *= 2;
        if (size > Array.MaxLength) size = Math.Max(needed, Array.MaxLength);
        if (needed > Array.MaxLength) throw new OutOfMemoryException("A message buffer cannot exceed Array.MaxLength bytes.");
        var next = ArrayPool<byte>.Shared.Rent((int)size);
        if (_array is not null)
        {
            _array.AsSpan(0, _written).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_array);
        }
        _array = next;
    }
}
