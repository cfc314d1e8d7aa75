using System.Globalization;

namespace Wirehub.Cli.Bench;

/// <summary>
/// A <see cref="LatencyHistogram"/> regrouped into a few log-scale bins with round bounds (1, 2, 5, 10, 20, 50 ... µs),
/// for charts and reports: three bins per decade, from the first non-empty bin to the last.
/// </summary>
internal static class LatencyDistribution
{
    private static readonly double[] s_steps = [1, 2, 5];

    // 1 µs to 10 000 s: wider than anything the histogram tracks.
    private const int LowestExponent = -3;
    private const int HighestExponent = 7;

    /// <summary>The bins from the first with a value to the last with one; empty when nothing was recorded.</summary>
    public static IReadOnlyList<LatencyBin> Of(LatencyHistogram histogram)
    {
        long[] counts = new long[LatencyHistogram.BucketCount];
        histogram.CopyCountsTo(counts);
        double[] bounds = Bounds();
        long[] binCounts = new long[bounds.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            // A bucket goes where its highest value goes: within 0.8% of every value in it (see LatencyHistogram).
            double ms = LatencyHistogram.ToMilliseconds(LatencyHistogram.HighestValueIn(i));
            int bin = Array.FindIndex(bounds, bound => ms <= bound);
            binCounts[bin < 0 ? bounds.Length - 1 : bin] += counts[i];
        }

        int first = Array.FindIndex(binCounts, c => c != 0);
        if (first < 0)
        {
            return [];
        }

        int last = Array.FindLastIndex(binCounts, c => c != 0);
        LatencyBin[] bins = new LatencyBin[last - first + 1];
        for (int bin = first; bin <= last; bin++)
        {
            bins[bin - first] = new LatencyBin(bin == 0 ? 0 : bounds[bin - 1], bounds[bin], binCounts[bin]);
        }

        return bins;
    }

    /// <summary>A bound for an axis label: "500 µs", "2 ms", "10 s".</summary>
    public static string FormatBound(double ms) => ms switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(ms * 1000, 3):0.###} µs"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.###} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.###} s"),
    };

    private static double[] Bounds()
    {
        List<double> bounds = [];
        for (int exponent = LowestExponent; exponent <= HighestExponent; exponent++)
        {
            foreach (double step in s_steps)
            {
                // Rounded to tame binary fractions such as 0.005 * 10 = 0.05000000000000001.
                bounds.Add(Math.Round(step * Math.Pow(10, exponent), 6));
            }
        }

        return [.. bounds];
    }
}
