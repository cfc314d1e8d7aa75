using System.Reflection;
using System.Runtime.InteropServices;

namespace Wirehub.Cli.Bench;

/// <summary>Where a run took place, so that figures from different machines are not compared unknowingly.</summary>
/// <param name="Machine">The host name.</param>
/// <param name="OperatingSystem">The OS, e.g. "Debian GNU/Linux 12 (bookworm)".</param>
/// <param name="Kernel">The kernel release, e.g. "6.8.0-45-generic", or "unknown".</param>
/// <param name="Cpu">The CPU model from /proc/cpuinfo, or "unknown".</param>
/// <param name="Cores">Logical cores the machine has online.</param>
/// <param name="ProcessorsAvailable">Cores the generator may run on (fewer when it is pinned, e.g. with taskset).</param>
/// <param name="Runtime">The .NET runtime, e.g. ".NET 10.0.0".</param>
/// <param name="Architecture">The process architecture, e.g. "X64".</param>
/// <param name="GeneratorVersion">The version of the wirehub executable.</param>
internal sealed record RunEnvironment(
    string Machine, string OperatingSystem, string Kernel, string Cpu, int Cores, int ProcessorsAvailable, string Runtime,
    string Architecture, string GeneratorVersion)
{
    /// <summary>Reads the environment of this process.</summary>
    public static RunEnvironment Capture() => new(
        Environment.MachineName,
        RuntimeInformation.OSDescription,
        ReadKernel(),
        ReadCpuModel(),
        ReadOnlineCores(),
        Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        typeof(RunEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "unknown");

    private static string ReadKernel()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string ReadCpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                // x86 says "model name", arm64 kernels often only "CPU part"; the first is enough either way.
                if (line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("Model", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':') + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return "unknown";
    }

    // Environment.ProcessorCount honours the affinity mask, so a pinned generator would report one core.
    private static int ReadOnlineCores()
    {
        try
        {
            return CpuList.Count(File.ReadAllText("/sys/devices/system/cpu/online"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return Environment.ProcessorCount;
        }
    }
}
