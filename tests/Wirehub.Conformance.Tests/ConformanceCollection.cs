namespace Wirehub.Conformance.Tests;

/// <summary>
/// The conformance runs share one collection that runs on its own, after the parallel unit tests: each run already
/// keeps several connections busy, and two runs side by side on a 2-core machine only slow each other down.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConformanceCollection
{
    public const string Name = "Conformance runs";
}
