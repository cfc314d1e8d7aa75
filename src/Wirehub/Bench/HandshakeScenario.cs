using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Whole connection lifetimes back to back: open TCP, upgrade, then close as RFC 6455 §7.1.1 intends: the client sends
/// its close frame, the server answers with its own and closes TCP first, and the client waits for that FIN.
/// </summary>
internal sealed class HandshakeScenario(
    BenchTarget target, int concurrency, TimeSpan duration, TimeSpan warmup, int? serverPid)
{
    public async Task<HandshakeReport> RunAsync(CancellationToken cancellation)
    {
        LatencyHistogram upgrade = new();
        MeasurementWindow window = new();
        HandshakeLoop loop = new(target, new UpgradeRequest(target), concurrency, upgrade, window);
        loop.Start();
        try
        {
            await Task.Delay(warmup, cancellation);
            CpuMeter cpu = new(serverPid);
            long startCompleted = loop.Completed;
            long startFailures = loop.Failures;
            long start = Stopwatch.GetTimestamp();
            cpu.Start();
            window.Open();
            await Task.Delay(duration, cancellation);
            window.Close();
            CpuUsage usage = cpu.Stop();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return new HandshakeReport(target, serverPid, concurrency, seconds, loop.Completed - startCompleted,
                upgrade, usage, loop.Failures - startFailures, loop.FirstFailure);
        }
        finally
        {
            window.Close();
            loop.Stop();
        }
    }
}
