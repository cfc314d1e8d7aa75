namespace Wirehub.Realtime.Tests.Server.Support;

/// <summary>
/// Tests that read the process-wide realtime and engine metrics run alone: sessions of tests running in parallel would
/// otherwise move the same counters.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Realtime metrics";
}
