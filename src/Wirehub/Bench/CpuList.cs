using System.Globalization;

namespace Wirehub.Cli.Bench;

/// <summary>The kernel's CPU list syntax, as in /sys/devices/system/cpu/online: "0-3,6,8-9".</summary>
internal static class CpuList
{
    /// <summary>How many CPUs the list names.</summary>
    /// <exception cref="FormatException">The text is not a CPU list.</exception>
    public static int Count(string list)
    {
        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-');
            if (dash < 0)
            {
                int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
                count++;
                continue;
            }

            int first = int.Parse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture);
            int last = int.Parse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture);
            if (last < first)
            {
                throw new FormatException($"'{part}' in the CPU list '{list}' runs backwards.");
            }

            count += last - first + 1;
        }

        return count > 0 ? count : throw new FormatException($"'{list}' names no CPU.");
    }
}
