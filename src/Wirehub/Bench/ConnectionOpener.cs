using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>Opens the connections an event loop will serve, a few handshakes at a time, counting them as they open.</summary>
internal sealed class ConnectionOpener(BenchTarget target, UpgradeRequest request)
{
    // Blocking handshakes on this many pool threads; more would only queue at the server's accept loop.
    private const int Concurrency = 8;

    private int _opened;

    /// <summary>Connections upgraded so far; read from any thread, e.g. by the progress sampler.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>
    /// Opens <paramref name="count"/> WebSocket connections, each with its own receive buffer, and wraps each one.
    /// Any failure fails the whole set, after closing what was opened: a scenario needs all its connections.
    /// </summary>
    public T[] OpenAll<T>(int count, int receiveBufferSize, Func<Socket, byte[], int, T> create)
        where T : LoopConnection
    {
        T[] opened = new T[count];
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, i =>
            {
                byte[] buffer = new byte[Math.Max(receiveBufferSize, ClientHandshake.MinimumBufferSize)];
                (Socket socket, int initial) = ClientHandshake.Open(target, request, buffer);
                opened[i] = create(socket, buffer, initial);
                Interlocked.Increment(ref _opened);
            });
        }
        catch (AggregateException failure)
        {
            foreach (T? connection in opened)
            {
                connection?.Socket.Dispose();
            }

            Exception first = failure.InnerExceptions[0];
            throw new BenchFailure(ErrorTally.KindOf(first),
                $"Opening {count} connections to {target} failed: {first.Message} "
                + "(is the server running, and is the open-files limit, ulimit -n, high enough?)");
        }

        return opened;
    }
}
