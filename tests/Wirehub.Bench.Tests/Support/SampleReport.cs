using System.Diagnostics;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Support;

/// <summary>Reports with known figures, built without a server, for the report writers' tests.</summary>
internal static class SampleReport
{
    public static BenchRun Run(int? serverPid = 4242) =>
        new(BenchTarget.Resolve(new Uri("ws://127.0.0.1:9001/")), serverPid, TextWriter.Null, progressInPlace: false,
            progressShown: false);

    /// <summary>Milliseconds as histogram ticks.</summary>
    public static long Ticks(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    /// <summary>An echo-like report: 3 samples, latency of 1 000 values from 0.1 to 100 ms, two errors of two kinds.</summary>
    public static BenchReport Echo(IReportDetails? details = null, string firstError = "The server closed the connection.")
    {
        BenchRun run = Run();
        run.Errors.Record(BenchErrorKind.Closed, firstError);
        run.Errors.Record(BenchErrorKind.Lost, "2 echoes never came back.", 2);
        LatencyHistogram latency = new();
        for (int i = 1; i <= 1000; i++)
        {
            latency.Record(Ticks(i / 10.0));
        }

        return new BenchReport(run, "echo")
        {
            Parameters = [new("connections", 64), new("size", 32), new("durationSeconds", 2.5), new("rates", new[] { 100, 200 }), new("mode", "fast")],
            Connections = 64,
            Unit = "round trips",
            MessagesSent = 1_000_002,
            MessagesReceived = 1_000_000,
            MessagesExpected = 1_000_002,
            BytesReceived = 32_000_000,
            MeasuredSeconds = 2,
            MeasuredMessages = 500_000,
            MeasuredBytes = 16_000_000,
            Latency = latency,
            LatencyName = "round trip",
            Cpu = new CpuUsage(41.26, 99.04),
            Series =
            [
                new LiveSample(1.0, "warmup", 64, 240_000, 7.68, null, null, 0),
                new LiveSample(2.0, "measure", 64, 250_000, 8.0, 12.5, 12.5, 1),
                new LiveSample(3.0, "measure", 63, 250_000.5, 8.0, 99.5, 98.0, 3),
            ],
            Details = details,
        };
    }

    /// <summary>A report of a scenario that measures no latency and took no sample.</summary>
    public static BenchReport WithoutLatencyOrSamples() => new(Run(serverPid: null), "idle")
    {
        Parameters = [new("connections", 10)],
        Connections = 10,
        Unit = "connections opened",
        MeasuredSeconds = 0.5,
        MeasuredMessages = 10,
        Cpu = new CpuUsage(5, null),
        Series = [],
    };
}
