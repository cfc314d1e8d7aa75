using System.Globalization;

namespace Wirehub.Cli.Configuration;

/// <summary>
/// The text forms of setting values, the same from a flag, an environment variable or appsettings.json: durations
/// ("500ms", "30s", "2m", "1h", "1d", a bare number of seconds, or "hh:mm:ss"), byte sizes ("65536", "64KiB", "1MiB")
/// and booleans ("true", "false").
/// </summary>
internal static class SettingTextSyntax
{
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (text.Contains(':'))
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        (string number, double secondsPerUnit) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3600.0),
            _ when text.EndsWith('d') || text.EndsWith('D') => (text[..^1], 86400.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount))
            return false;
        double seconds = amount * secondsPerUnit;
        // Beyond any range a setting accepts, and TimeSpan.FromSeconds would overflow.
        if (seconds > 10 * 365 * 86400.0) return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    public static bool TryParseByteSize(string text, out long value)
    {
        value = 0;
        text = text.Trim();
        (string number, long unit) = text switch
        {
            _ when text.EndsWith("KiB", StringComparison.OrdinalIgnoreCase) => (text[..^3], 1024L),
            _ when text.EndsWith("MiB", StringComparison.OrdinalIgnoreCase) => (text[..^3], 1024L * 1024),
            _ when text.EndsWith("GiB", StringComparison.OrdinalIgnoreCase) => (text[..^3], 1024L * 1024 * 1024),
            _ when text.EndsWith('B') || text.EndsWith('b') => (text[..^1], 1L),
            _ => (text, 1L),
        };
        if (!long.TryParse(number.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long amount)) return false;
        if (amount > long.MaxValue / unit) return false;
        value = amount * unit;
        return true;
    }

    public static bool TryParseBoolean(string text, out bool value) => bool.TryParse(text.Trim(), out value);

    public static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>The shortest exact form of <paramref name="value"/>: "0s", "500ms", "30s", "2m", "1h", "1d".</summary>
    public static string FormatDuration(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        if (value.Ticks % TimeSpan.TicksPerDay == 0) return $"{value.Ticks / TimeSpan.TicksPerDay}d";
        if (value.Ticks % TimeSpan.TicksPerHour == 0) return $"{value.Ticks / TimeSpan.TicksPerHour}h";
        if (value.Ticks % TimeSpan.TicksPerMinute == 0) return $"{value.Ticks / TimeSpan.TicksPerMinute}m";
        if (value.Ticks % TimeSpan.TicksPerSecond == 0) return $"{value.Ticks / TimeSpan.TicksPerSecond}s";
        return string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
    }

    /// <summary>"65536" as "64KiB", "1048576" as "1MiB"; other sizes as plain bytes.</summary>
    public static string FormatByteSize(long value)
    {
        if (value >= 1024L * 1024 * 1024 && value % (1024L * 1024 * 1024) == 0) return $"{value / (1024L * 1024 * 1024)}GiB";
        if (value >= 1024L * 1024 && value % (1024L * 1024) == 0) return $"{value / (1024L * 1024)}MiB";
        if (value >= 1024 && value % 1024 == 0) return $"{value / 1024}KiB";
        return value.ToString(CultureInfo.InvariantCulture);
    }
}
