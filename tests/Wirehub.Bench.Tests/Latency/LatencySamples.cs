using FsCheck;
using FsCheck.Fluent;

namespace Wirehub.Bench.Tests.Latency;

/// <summary>A non-empty set of durations in ticks and a percentile given in tenths (1 to 1000, i.e. 0.1 % to 100 %).</summary>
public sealed record LatencySamples(long[] Values, int PerMille)
{
    public double Percentile => PerMille / 10.0;

    public override string ToString() => $"p{Percentile} of [{string.Join(", ", Values)}]";

    /// <summary>The value at the percentile from the sorted values: rank ⌈p × n⌉, at least 1, computed in integers.</summary>
    public static long Oracle(long[] values, int perMille)
    {
        long[] sorted = values.Order().ToArray();
        long rank = Math.Max(1, ((long)perMille * sorted.Length + 999) / 1000);
        return sorted[rank - 1];
    }

    public static class Arbitraries
    {
        // Exact values below 256 ticks, the log-linear range above it, and a few repeated values to make ties.
        private static Gen<long> Duration() => Gen.OneOf(
            Gen.Choose(0, 300).Select(v => (long)v),
            Gen.Choose(256, int.MaxValue).Select(v => (long)v),
            Gen.Two(Gen.Choose(0, int.MaxValue)).Select(t => ((long)t.Item1 << 9 | (uint)t.Item2 % 512) % (1L << 41)),
            Gen.Elements(255L, 256L, 257L, 1000L, 1_000_000L));

        public static Arbitrary<LatencySamples> Samples() =>
            (from count in Gen.Choose(1, 400)
             from values in Gen.ArrayOf(Duration(), count)
             from perMille in Gen.OneOf(Gen.Choose(1, 1000), Gen.Elements(500, 900, 990, 999, 1000))
             select new LatencySamples(values, perMille))
            .ToArbitrary();
    }
}
