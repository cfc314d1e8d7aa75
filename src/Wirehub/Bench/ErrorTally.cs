using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The errors of one run, counted by kind, and the first one's message. Safe from any thread; only failures touch it,
/// so the message path pays nothing for it.
/// </summary>
internal sealed class ErrorTally
{
    private static readonly BenchErrorKind[] s_kinds = Enum.GetValues<BenchErrorKind>();

    private readonly long[] _counts = new long[s_kinds.Length];
    private string? _first;

    /// <summary>Every kind, in declaration order, for reports that list them all.</summary>
    public static IReadOnlyList<BenchErrorKind> Kinds => s_kinds;

    /// <summary>Errors of every kind so far.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }

            return total;
        }
    }

    /// <summary>The message of the first error recorded, or null when there was none.</summary>
    public string? First => Volatile.Read(ref _first);

    public long CountOf(BenchErrorKind kind) => Volatile.Read(ref _counts[(int)kind]);

    /// <summary>Counts <paramref name="count"/> errors of one kind; the message is kept if it is the run's first.</summary>
    public void Record(BenchErrorKind kind, string message, long count = 1)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.CompareExchange(ref _first, message, null);
        Interlocked.Add(ref _counts[(int)kind], count);
    }

    /// <summary>Counts one error from the exception that ended a connection or a cycle.</summary>
    public void Record(Exception exception) => Record(KindOf(exception), exception.Message);

    /// <summary>The kind an exception is counted under.</summary>
    public static BenchErrorKind KindOf(Exception exception) => exception switch
    {
        BenchFailure failure => failure.Kind,
        SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable or SocketError.TooManyOpenSockets } => BenchErrorKind.Connect,
        SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } =>
            BenchErrorKind.Closed,
        TimeoutException => BenchErrorKind.Timeout,
        _ => BenchErrorKind.Socket,
    };
}
