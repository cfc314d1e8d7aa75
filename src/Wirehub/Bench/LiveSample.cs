namespace Wirehub.Cli.Bench;

/// <summary>One point of a run's per-second series: what happened since the previous point.</summary>
/// <param name="ElapsedSeconds">Seconds since the run started, at the end of the interval.</param>
/// <param name="Phase">What the run was doing, e.g. "warmup", "measure", "step 1400/s".</param>
/// <param name="Connections">Connections open at the end of the interval.</param>
/// <param name="MessagesPerSecond">The scenario's unit per second over the interval.</param>
/// <param name="MegabytesPerSecond">Payload MB (10^6 bytes) per second over the interval.</param>
/// <param name="P99Ms">The p99 latency of the values recorded in the interval; null when none were.</param>
/// <param name="P99SoFarMs">The p99 latency of every value recorded so far; null when none were.</param>
/// <param name="Errors">Errors so far, of every kind.</param>
internal sealed record LiveSample(
    double ElapsedSeconds, string Phase, int Connections, double MessagesPerSecond, double MegabytesPerSecond,
    double? P99Ms, double? P99SoFarMs, long Errors);
