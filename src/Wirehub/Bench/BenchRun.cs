namespace Wirehub.Cli.Bench;

/// <summary>
/// What a scenario gets besides its own options: the server under test, where progress goes, and the run's error
/// tally; it starts the run's clock and records the environment.
/// </summary>
internal sealed class BenchRun(BenchTarget target, int? serverPid, TextWriter progressOutput, bool progressInPlace,
    bool progressShown)
{
    public BenchTarget Target { get; } = target;

    /// <summary>The server's process id, to read its CPU time and memory from /proc, if given.</summary>
    public int? ServerPid { get; } = serverPid;

    /// <summary>Every error of the run, whichever part of the scenario met it.</summary>
    public ErrorTally Errors { get; } = new();

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public RunEnvironment Environment { get; } = RunEnvironment.Capture();

    /// <summary>
    /// Creates the run's sampler, started: once a second it reads <paramref name="read"/> and
    /// <paramref name="latency"/>, adds a point to the series and shows a progress line.
    /// </summary>
    /// <param name="rateLabel">The progress line's rate unit, e.g. "msg/s" or "handshakes/s".</param>
    /// <param name="phase">The first phase, e.g. "connecting" or "warmup".</param>
    /// <param name="read">Reads the scenario's counters.</param>
    /// <param name="latency">The histograms the scenario records latency in; none for a scenario without latency.</param>
    public RunSampler StartSampler(string rateLabel, string phase, Func<CounterReading> read, params LatencyHistogram[] latency)
    {
        RunSampler sampler = new(read, latency, progressShown ? new ProgressLine(progressOutput, progressInPlace, rateLabel) : null,
            phase);
        sampler.Start();
        return sampler;
    }
}
