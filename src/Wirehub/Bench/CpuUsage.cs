namespace Wirehub.Cli.Bench;

/// <summary>
/// CPU use of the generator and of the server over one interval, in percent of one core: the side near 100% is the
/// one that limited the result.
/// </summary>
internal sealed record CpuUsage(double GeneratorPercent, double? ServerPercent);
