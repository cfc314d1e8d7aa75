namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>
/// Tests that measure the whole process's allocations run alone, after the parallel tests, so that no other test's
/// allocations count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessAllocationCollection
{
    public const string Name = "Process allocation measurements";
}
