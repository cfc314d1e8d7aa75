namespace Wirehub.Cli.Bench;

/// <summary>
/// The outcome of one run of any scenario: the figures every scenario has (throughput, latency, errors by kind, CPU,
/// the per-second series) and the scenario's own <see cref="Details"/>. <see cref="ReportTable"/>,
/// <see cref="ReportJson"/> and <see cref="ReportHtml"/> write it out.
/// </summary>
internal sealed class BenchReport
{
    /// <summary>Copies the run-wide facts: target, server pid, start time, environment and errors.</summary>
    public BenchReport(BenchRun run, string scenario)
    {
        Scenario = scenario;
        Target = run.Target;
        ServerPid = run.ServerPid;
        StartedAt = run.StartedAt;
        Environment = run.Environment;
        Errors = run.Errors;
    }

    public string Scenario { get; }

    public BenchTarget Target { get; }

    public int? ServerPid { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset FinishedAt { get; init; } = DateTimeOffset.UtcNow;

    public RunEnvironment Environment { get; }

    /// <summary>The scenario's options, by JSON name, in the order to show them: numbers, strings, booleans or int arrays.</summary>
    public required IReadOnlyList<KeyValuePair<string, object>> Parameters { get; init; }

    /// <summary>Connections the run opened (for handshakes: how many were in progress at once).</summary>
    public required int Connections { get; init; }

    /// <summary>What <see cref="MeasuredMessages"/> counts, in the plural: "round trips", "deliveries", "handshakes"...</summary>
    public required string Unit { get; init; }

    /// <summary>Messages the generator sent over the whole run.</summary>
    public long MessagesSent { get; init; }

    /// <summary>Messages the generator received over the whole run.</summary>
    public long MessagesReceived { get; init; }

    /// <summary>Messages it should have received for what it sent (for broadcast: sent × clients).</summary>
    public long MessagesExpected { get; init; }

    /// <summary>Payload bytes received over the whole run.</summary>
    public long BytesReceived { get; init; }

    /// <summary>How long the measured part of the run took: the throughput figures are over this interval.</summary>
    public required double MeasuredSeconds { get; init; }

    /// <summary><see cref="Unit"/> counted in the measured interval.</summary>
    public required long MeasuredMessages { get; init; }

    /// <summary>Payload bytes received in the measured interval.</summary>
    public long MeasuredBytes { get; init; }

    public double MessagesPerSecond => MeasuredSeconds > 0 ? MeasuredMessages / MeasuredSeconds : 0;

    /// <summary>Payload MB (10^6 bytes) per second received in the measured interval.</summary>
    public double MegabytesPerSecond => MeasuredSeconds > 0 ? MeasuredBytes / MeasuredSeconds / 1e6 : 0;

    /// <summary>The measured latency, or null for a scenario that has none.</summary>
    public LatencyHistogram? Latency { get; init; }

    /// <summary>What <see cref="Latency"/> measures, e.g. "round trip" or "delivery".</summary>
    public string LatencyName { get; init; } = "latency";

    public ErrorTally Errors { get; }

    /// <summary>CPU use over the measured interval.</summary>
    public required CpuUsage Cpu { get; init; }

    /// <summary>One point per second of the whole run.</summary>
    public required IReadOnlyList<LiveSample> Series { get; init; }

    public IReportDetails? Details { get; init; }

    /// <summary>The report's title line, e.g. "echo against ws://127.0.0.1:9001/ (server pid 1234)".</summary>
    public string Title => $"{Scenario} against {Target}{(ServerPid is int pid ? $" (server pid {pid})" : "")}";
}
