using System.Diagnostics;

namespace Wirehub.Cli.Bench;

/// <summary>Measures <see cref="CpuUsage"/> between two points in time from /proc/PID/stat.</summary>
internal sealed class CpuMeter
{
    private readonly int? _serverPid;
    private long _startTimestamp;
    private TimeSpan? _generatorStart;
    private TimeSpan? _serverStart;

    public CpuMeter(int? serverPid) => _serverPid = serverPid;

    /// <summary>Starts an interval.</summary>
    public void Start()
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        _generatorStart = ProcessCounters.ReadCpuTime(Environment.ProcessId);
        _serverStart = _serverPid is int pid ? ProcessCounters.ReadCpuTime(pid) : null;
    }

    /// <summary>Ends the interval started last and returns its CPU use; the meter can then start another.</summary>
    public CpuUsage Stop()
    {
        double wallSeconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        TimeSpan? generatorEnd = ProcessCounters.ReadCpuTime(Environment.ProcessId);
        TimeSpan? serverEnd = _serverPid is int pid ? ProcessCounters.ReadCpuTime(pid) : null;
        return new CpuUsage(Percent(_generatorStart, generatorEnd, wallSeconds) ?? 0, Percent(_serverStart, serverEnd, wallSeconds));
    }

    private static double? Percent(TimeSpan? start, TimeSpan? end, double wallSeconds) =>
        start is TimeSpan from && end is TimeSpan to && wallSeconds > 0
            ? (to - from).TotalSeconds / wallSeconds * 100
            : null;
}
