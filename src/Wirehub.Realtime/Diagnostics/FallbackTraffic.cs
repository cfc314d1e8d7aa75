using System.Runtime.InteropServices;

namespace Wirehub.Realtime.Diagnostics;

/// <summary>
/// Frames and bytes carried by the fallback transports, by transport, counted per thread as the engine counts its
/// traffic: the message path does a plain add on a cell only its own thread writes (no interlocked instruction, no
/// shared cache line, nothing per session), and a metrics collection sums the cells. A thread's cell outlives the
/// thread, so nothing counted is ever lost.
/// </summary>
internal static class FallbackTraffic
{
    [ThreadStatic] private static Cell? t_cell;
    private static readonly List<Cell> Cells = [];

    /// <summary><paramref name="messages"/> frames went down in <paramref name="bytes"/> bytes of response body.</summary>
    public static void Sent(TransportType transport, int messages, long bytes)
    {
        var cell = t_cell ?? Register();
        if (transport == TransportType.ServerSentEvents)
        {
            cell.SseMessagesSent += messages;
            cell.SseBytesSent += bytes;
        }
        else
        {
            cell.PollMessagesSent += messages;
            cell.PollBytesSent += bytes;
        }
    }

    /// <summary>A POST body of <paramref name="bytes"/> bytes reached its session.</summary>
    public static void BodyReceived(TransportType transport, long bytes)
    {
        var cell = t_cell ?? Register();
        if (transport == TransportType.ServerSentEvents) cell.SseBytesReceived += bytes;
        else cell.PollBytesReceived += bytes;
    }

    /// <summary>The session read one frame of a POST body.</summary>
    public static void MessageReceived(TransportType transport)
    {
        var cell = t_cell ?? Register();
        if (transport == TransportType.ServerSentEvents) cell.SseMessagesReceived++;
        else cell.PollMessagesReceived++;
    }

    public static long MessagesSent(TransportType transport) => transport == TransportType.ServerSentEvents
        ? Sum(static cell => Volatile.Read(ref cell.SseMessagesSent))
        : Sum(static cell => Volatile.Read(ref cell.PollMessagesSent));

    public static long BytesSent(TransportType transport) => transport == TransportType.ServerSentEvents
        ? Sum(static cell => Volatile.Read(ref cell.SseBytesSent))
        : Sum(static cell => Volatile.Read(ref cell.PollBytesSent));

    public static long MessagesReceived(TransportType transport) => transport == TransportType.ServerSentEvents
        ? Sum(static cell => Volatile.Read(ref cell.SseMessagesReceived))
        : Sum(static cell => Volatile.Read(ref cell.PollMessagesReceived));

    public static long BytesReceived(TransportType transport) => transport == TransportType.ServerSentEvents
        ? Sum(static cell => Volatile.Read(ref cell.SseBytesReceived))
        : Sum(static cell => Volatile.Read(ref cell.PollBytesReceived));

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
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private sealed class Cell
    {
        [FieldOffset(64)] public long SseMessagesSent;
        [FieldOffset(72)] public long SseBytesSent;
        [FieldOffset(80)] public long SseMessagesReceived;
        [FieldOffset(88)] public long SseBytesReceived;
        [FieldOffset(96)] public long PollMessagesSent;
        [FieldOffset(104)] public long PollBytesSent;
        [FieldOffset(112)] public long PollMessagesReceived;
        [FieldOffset(120)] public long PollBytesReceived;
    }
}
