using System.Globalization;
using System.Runtime.InteropServices;

namespace Wirehub.Cli.Bench;

/// <summary>Reads a process's CPU time and resident memory from /proc (Linux), without touching the process.</summary>
internal static partial class ProcessCounters
{
    // sysconf(_SC_CLK_TCK): the unit of utime and stime in /proc/PID/stat.
    private const int ClockTicksName = 2;

    private static readonly long s_clockTicksPerSecond = ReadClockTicksPerSecond();

    /// <summary>User plus system CPU time used so far, or null when the process is gone or /proc is missing.</summary>
    public static TimeSpan? ReadCpuTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name in parentheses may hold spaces; fields after it start with the state, field 3 of proc(5),
        // so utime (field 14) and stime (field 15) are the 12th and 13th after the parenthesis.
        ReadOnlySpan<char> fields = stat.AsSpan(stat.LastIndexOf(')') + 2);
        long ticks = 0;
        int index = 0;
        foreach (Range range in fields.Split(' '))
        {
            if (index is 11 or 12)
            {
                ticks += long.Parse(fields[range], CultureInfo.InvariantCulture);
            }

            if (++index > 12)
            {
                break;
            }
        }

        return TimeSpan.FromSeconds((double)ticks / s_clockTicksPerSecond);
    }

    /// <summary>VmRSS from /proc/PID/status in KiB, or null when the process is gone or /proc is missing.</summary>
    public static long? ReadResidentKiB(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    // "VmRSS:     123456 kB"
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    private static long ReadClockTicksPerSecond()
    {
        try
        {
            long ticks = SystemConfiguration(ClockTicksName);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // USER_HZ is 100 on every Linux architecture .NET runs on.
            return 100;
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SystemConfiguration(int name);
}
