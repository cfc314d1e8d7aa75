using System.Buffers;
using System.IO.Pipelines;

namespace Wirehub.WebSockets;

/// <summary>
/// Frames waiting while the transport is busy flushing earlier ones. Small frames are packed together into pooled
/// chunks (so many small messages leave in one write); prepared broadcast frames are queued by reference, never copied.
/// Not thread-safe: the connection's send lock guards it.
/// </summary>
internal sealed class SendQueue
{
    private const int ChunkSize = 4096;

    private Segment[] _segments = [];
    private int _count;
    private bool _tailWritable;

    /// <summary>Bytes queued.</summary>
    public long Bytes { get; private set; }

    public bool IsEmpty => _count == 0;

    /// <summary>Space for a frame of <paramref name="size"/> bytes at the end of the queue; commit with <see cref="Commit"/>.</summary>
    public Span<byte> Reserve(int size)
    {
        if (_tailWritable)
        {
            ref var tail = ref _segments[_count - 1];
            if (tail.Rented!.Length - tail.Length >= size) return tail.Rented.AsSpan(tail.Length);
        }
        Add(new Segment { Rented = ArrayPool<byte>.Shared.Rent(Math.Max(size, ChunkSize)) });
        _tailWritable = true;
        return _segments[_count - 1].Rented.AsSpan();
    }

    public void Commit(int size)
    {
        _segments[_count - 1].Length += size;
        Bytes += size;
    }

    /// <summary>Queues bytes owned by someone else (a prepared message), by reference.</summary>
    public void EnqueueShared(ReadOnlyMemory<byte> frame)
    {
        Add(new Segment { Shared = frame, Length = frame.Length });
        _tailWritable = false;
        Bytes += frame.Length;
    }

    /// <summary>Copies everything queued into the writer, returns the chunks to the pool, and empties the queue.</summary>
    public long DrainTo(PipeWriter writer)
    {
        long total = Bytes;
        for (int i = 0; i < _count; i++)
        {
            ref var segment = ref _segments[i];
            if (segment.Rented is { } rented)
            {
                writer.Write(rented.AsSpan(0, segment.Length));
                ArrayPool<byte>.Shared.Return(rented);
            }
            else
            {
                writer.Write(segment.Shared.Span);
            }
            segment = default;
        }
        Reset();
        return total;
    }

    /// <summary>Drops everything queued (the connection is gone).</summary>
    public void Discard()
    {
        for (int i = 0; i < _count; i++)
        {
            if (_segments[i].Rented is { } rented) ArrayPool<byte>.Shared.Return(rented);
            _segments[i] = default;
        }
        Reset();
    }

    private void Reset()
    {
        _count = 0;
        _tailWritable = false;
        Bytes = 0;
        // A long burst may have grown the array; let an idle connection give it back.
        if (_segments.Length > 16) _segments = [];
    }

    private void Add(Segment segment)
    {
        if (_count == _segments.Length) Array.Resize(ref _segments, Math.Max(4, _count * 2));
        _segments[_count++] = segment;
    }

    private struct Segment
    {
        public byte[]? Rented;
        public ReadOnlyMemory<byte> Shared;
        public int Length;
    }
}
