namespace Wirehub.Cli.Bench;

/// <summary>One bar of a latency histogram: how many values lay in (<paramref name="FromMs"/>, <paramref name="ToMs"/>].</summary>
internal readonly record struct LatencyBin(double FromMs, double ToMs, long Count);
