using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Memory per idle connection: the growth of the server's resident set while it holds many upgraded connections that
/// send nothing, divided by their number. Nothing is forced in the server; readings are taken after it settles.
/// </summary>
internal sealed class IdleScenario(
    BenchTarget target, int connections, int concurrency, TimeSpan settle, TimeSpan hold, int serverPid)
{
    // Connections opened and closed first, so code and pools a server sets up on first use are in the baseline.
    private const int WarmupConnections = 100;

    public async Task<IdleReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(target);
        if (ProcessCounters.ReadResidentKiB(serverPid) is null)
        {
            throw new ArgumentException($"/proc/{serverPid}/status cannot be read; pass the pid of the running server to --server-pid.");
        }

        Socket?[] warmup = new Socket?[Math.Min(WarmupConnections, connections)];
        await OpenAsync(warmup, request, cancellation);
        Close(warmup);

        await Task.Delay(settle, cancellation);
        long before = ProcessCounters.ReadResidentKiB(serverPid) ?? 0;

        Socket?[] held = new Socket?[connections];
        CpuMeter cpu = new(serverPid);
        cpu.Start();
        long start = Stopwatch.GetTimestamp();
        (int failures, string? firstFailure) = await OpenAsync(held, request, cancellation);
        double openSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        try
        {
            await Task.Delay(settle, cancellation);
            long after = ProcessCounters.ReadResidentKiB(serverPid) ?? 0;
            CpuUsage usage = cpu.Stop();
            int opened = held.Count(s => s is not null);
            await Task.Delay(hold, cancellation);
            return new IdleReport(target, serverPid, connections, opened, openSeconds, before, after, usage, failures, firstFailure);
        }
        finally
        {
            Close(held);
        }
    }

    private async Task<(int Failures, string? FirstFailure)> OpenAsync(Socket?[] sockets, UpgradeRequest request,
        CancellationToken cancellation)
    {
        int failures = 0;
        string? firstFailure = null;
        await Parallel.ForAsync(0, sockets.Length,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellation },
            async (i, token) =>
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ClientHandshake.MinimumBufferSize);
                try
                {
                    (sockets[i], _) = await ClientHandshake.OpenAsync(target, request, buffer, token);
                }
                catch (Exception exception) when (exception is SocketException or InvalidDataException)
                {
                    // Commonly the open-files limit: each connection is a descriptor on both sides.
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, exception.Message, null);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            });
        return (failures, firstFailure);
    }

    // Starts the closing handshake (RFC 6455 §7.1.2) and lets the kernel finish the TCP side.
    private static void Close(Socket?[] sockets)
    {
        foreach (Socket? socket in sockets)
        {
            if (socket is null)
            {
                continue;
            }

            try
            {
                socket.Send(ClientCloseFrame.Bytes.Span, SocketFlags.None);
            }
            catch (SocketException)
            {
                // The server already dropped it; closing is all that is left.
            }

            socket.Dispose();
        }
    }
}
