namespace Wirehub.Cli.Tests.Support;

/// <summary>
/// Bounds on waiting for a process, generous because the machine is shared: they only turn a hang into a failure
/// with the process's output, and no test asserts on how long anything took.
/// </summary>
internal static class CliTimeouts
{
    /// <summary>For a line of output (a server starting up includes the runtime's start and JIT).</summary>
    public static readonly TimeSpan Output = TimeSpan.FromSeconds(60);

    /// <summary>For a process to exit once it has been asked to.</summary>
    public static readonly TimeSpan Exit = TimeSpan.FromSeconds(60);
}
