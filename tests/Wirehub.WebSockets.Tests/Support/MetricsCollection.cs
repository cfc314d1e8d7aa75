namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// Tests that read the engine's process-wide metrics run alone: connections of tests running in parallel would
/// otherwise move the same counters.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Engine metrics";
}
