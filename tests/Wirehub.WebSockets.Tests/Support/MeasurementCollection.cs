namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// Tests that measure memory run alone: process-wide figures such as GC.GetTotalMemory would otherwise count what
/// tests running in parallel happen to hold.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasurementCollection
{
    public const string Name = "Memory measurements";
}
