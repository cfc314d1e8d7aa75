using System.Runtime.InteropServices;

namespace Wirehub.WebSockets;

/// <summary>
/// Messages and frame bytes of server connections, counted per thread: the message path does a plain increment on a
/// cell only its own thread writes (no interlocked instruction, no shared cache line, nothing per connection), and a
/// metrics collection sums the cells. A thread's cell outlives the thread, so nothing counted is ever lost.
/// </summary>
internal static class TrafficCounters
{
    [ThreadStatic] private static Cell? t_cell;
    private static readonly List<Cell> Cells = [];

    public static void MessageReceived() => (t_cell ?? Register()).MessagesReceived++;

    public static void MessageSent() => (t_cell ?? Register()).MessagesSent++;

    public static void BytesReceived(long count) => (t_cell ?? Register()).BytesReceived += count;

    public static void BytesSent(long count) => (t_cell ?? Register()).BytesSent += count;

    public static long TotalMessagesReceived() => Sum(static cell => Volatile.Read(ref cell.MessagesReceived));

    public static long TotalMessagesSent() => Sum(static cell => Volatile.Read(ref cell.MessagesSent));

    public static long TotalBytesReceived() => Sum(static cell => Volatile.Read(ref cell.BytesReceived));

    public static long TotalBytesSent() => Sum(static cell => Volatile.Read(ref cell.BytesSent));

    private static long Sum(Func<Cell, long> read)
    {
        long total = 0;
        lock (Cells)
        {
            foreach (var cell in Cells) total += read(cell);
        }
        return total;
    }

    private static Cell Register()
    {
        var cell = new Cell();
        lock (Cells) Cells.Add(cell);
        t_cell = cell;
        return cell;
    }

    // The counts sit a cache line away from the object's neighbours, so two threads' cells never share a line.
    [StructLayout(LayoutKind.Explicit, Size = 160)]
    private sealed class Cell
    {
        [FieldOffset(64)] public long MessagesReceived;
        [FieldOffset(72)] public long MessagesSent;
        [FieldOffset(80)] public long BytesReceived;
        [FieldOffset(88)] public long BytesSent;
    }
}
