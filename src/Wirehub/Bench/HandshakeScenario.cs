using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Whole connection lifetimes back to back: open TCP, upgrade, then close as RFC 6455 §7.1.1 intends: the client sends
/// its close frame, the server answers with its own and closes TCP first, and the client waits for that FIN.
/// </summary>
internal sealed class HandshakeScenario(BenchRun run, int concurrency, TimeSpan duration, TimeSpan warmup)
{
    public async Task<BenchReport> RunAsync(CancellationToken cancellation)
    {
        LatencyHistogram upgrade = new();
        MeasurementWindow window = new();
        HandshakeLoop loop = new(run.Target, new UpgradeRequest(run.Target), concurrency, upgrade, window, run.Errors);
        await using RunSampler sampler = run.StartSampler("handshakes/s", "warmup",
            () => new CounterReading(concurrency, loop.Completed, 0, run.Errors.Total), upgrade);
        loop.Start();
        try
        {
            await Task.Delay(warmup, cancellation);
            sampler.Phase = "measure";
            CpuMeter cpu = new(run.ServerPid);
            long startCompleted = loop.Completed;
            long start = Stopwatch.GetTimestamp();
            cpu.Start();
            window.Open();
            await Task.Delay(duration, cancellation);
            window.Close();
            CpuUsage usage = cpu.Stop();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long completed = loop.Completed;
            await sampler.StopAsync();
            return new BenchReport(run, "handshakes")
            {
                Parameters =
                [
                    new("concurrency", concurrency),
                    new("durationSeconds", duration.TotalSeconds),
                    new("warmupSeconds", warmup.TotalSeconds),
                ],
                Connections = concurrency,
                Unit = "handshakes",
                MeasuredSeconds = seconds,
                MeasuredMessages = completed - startCompleted,
                Latency = upgrade,
                LatencyName = "upgrade",
                Cpu = usage,
                Series = sampler.Series,
                Details = new HandshakeDetails(completed),
            };
        }
        finally
        {
            window.Close();
            loop.Stop();
        }
    }
}
