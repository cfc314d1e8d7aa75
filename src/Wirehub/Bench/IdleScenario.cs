using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Memory per idle connection: the growth of the server's resident set while it holds many upgraded connections that
/// send nothing, divided by their number. Nothing is forced in the server; readings are taken after it settles.
/// </summary>
internal sealed class IdleScenario(BenchRun run, int connections, int concurrency, TimeSpan settle, TimeSpan hold, int serverPid)
{
    // Connections opened and closed first, so code and pools a server sets up on first use are in the baseline.
    private const int WarmupConnections = 100;

    private int _open;
    private long _openedTotal;

    public async Task<BenchReport> RunAsync(CancellationToken cancellation)
    {
        UpgradeRequest request = new(run.Target);
        if (ProcessCounters.ReadResidentKiB(serverPid) is null)
        {
            throw new ArgumentException($"/proc/{serverPid}/status cannot be read; pass the pid of the running server to --server-pid.");
        }

        LatencyHistogram upgrade = new();
        await using RunSampler sampler = run.StartSampler("opens/s", "warmup",
            () => new CounterReading(Volatile.Read(ref _open), Volatile.Read(ref _openedTotal), 0, run.Errors.Total), upgrade);

        Socket?[] warmup = new Socket?[Math.Min(WarmupConnections, connections)];
        await OpenAsync(warmup, request, latency: null, cancellation);
        Close(warmup);

        sampler.Phase = "settle";
        await Task.Delay(settle, cancellation);
        long before = ProcessCounters.ReadResidentKiB(serverPid) ?? 0;

        sampler.Phase = "opening";
        Socket?[] held = new Socket?[connections];
        CpuMeter cpu = new(serverPid);
        cpu.Start();
        long start = Stopwatch.GetTimestamp();
        await OpenAsync(held, request, upgrade, cancellation);
        double openSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        try
        {
            sampler.Phase = "settle";
            await Task.Delay(settle, cancellation);
            long after = ProcessCounters.ReadResidentKiB(serverPid) ?? 0;
            CpuUsage usage = cpu.Stop();
            int opened = held.Count(s => s is not null);
            sampler.Phase = "hold";
            await Task.Delay(hold, cancellation);
            await sampler.StopAsync();
            return new BenchReport(run, "idle")
            {
                Parameters =
                [
                    new("connections", connections),
                    new("concurrency", concurrency),
                    new("settleSeconds", settle.TotalSeconds),
                    new("holdSeconds", hold.TotalSeconds),
                ],
                Connections = opened,
                Unit = "connections opened",
                MeasuredSeconds = openSeconds,
                MeasuredMessages = opened,
                Latency = upgrade,
                LatencyName = "upgrade",
                Cpu = usage,
                Series = sampler.Series,
                Details = new IdleDetails(connections, opened, openSeconds, before, after),
            };
        }
        finally
        {
            Close(held);
        }
    }

    private async Task OpenAsync(Socket?[] sockets, UpgradeRequest request, LatencyHistogram? latency, CancellationToken cancellation)
    {
        await Parallel.ForAsync(0, sockets.Length,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellation },
            async (i, token) =>
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ClientHandshake.MinimumBufferSize);
                try
                {
                    long start = Stopwatch.GetTimestamp();
                    (sockets[i], _) = await ClientHandshake.OpenAsync(run.Target, request, buffer, token);
                    latency?.Record(Stopwatch.GetTimestamp() - start);
                    Interlocked.Increment(ref _open);
                    Interlocked.Increment(ref _openedTotal);
                }
                catch (Exception exception) when (exception is SocketException or BenchFailure)
                {
                    // Commonly the open-files limit: each connection is a descriptor on both sides.
                    run.Errors.Record(exception);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            });
    }

    // Starts the closing handshake (RFC 6455 §7.1.2) and lets the kernel finish the TCP side.
    private void Close(Socket?[] sockets)
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
            Interlocked.Decrement(ref _open);
        }
    }
}
