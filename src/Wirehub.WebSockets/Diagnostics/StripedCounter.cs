using System.Runtime.InteropServices;

namespace Wirehub.WebSockets;

/// <summary>
/// A monotonic count bumped on every message from many threads at once. Each processor adds to a cell on its own cache
/// line, so connections served on different cores never contend for one; a read (a metrics collection) sums the cells.
/// </summary>
internal sealed class StripedCounter
{
    private readonly Cell[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        int size = 1;
        while (size < Environment.ProcessorCount && size < 64) size <<= 1;
        _cells = new Cell[size];
        _mask = size - 1;
    }

    public void Add(long value) =>
        Interlocked.Add(ref _cells[Thread.GetCurrentProcessorId() & _mask].Value, value);

    public long Read()
    {
        long total = 0;
        for (int i = 0; i < _cells.Length; i++) total += Volatile.Read(ref _cells[i].Value);
        return total;
    }

    // 128 bytes: a cache line on both sides of the value, as adjacent-line prefetching pairs lines on x64.
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)] public long Value;
    }
}
