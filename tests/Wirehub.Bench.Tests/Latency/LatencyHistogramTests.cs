using FsCheck.Xunit;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Latency;

public class LatencyHistogramTests
{
    // A reported value is the highest of its bucket: never below the true one, and above it by less than 1/128 of it.
    private static void AssertWithinBucket(long oracle, long reported)
    {
        Assert.InRange(reported, oracle, oracle + oracle / 128);
    }

    private static LatencyHistogram Recorded(IEnumerable<long> values)
    {
        LatencyHistogram histogram = new();
        foreach (long value in values)
        {
            histogram.Record(value);
        }

        return histogram;
    }

    [Property(Arbitrary = [typeof(LatencySamples.Arbitraries)])]
    public void Percentile_is_the_sorted_values_rank_within_its_bucket(LatencySamples samples)
    {
        LatencyHistogram histogram = Recorded(samples.Values);

        long reported = histogram.ValueAtPercentile(samples.Percentile);

        AssertWithinBucket(LatencySamples.Oracle(samples.Values, samples.PerMille), reported);
        Assert.True(reported <= histogram.Max, $"{reported} is above the largest value recorded, {histogram.Max}");
    }

    [Property(Arbitrary = [typeof(LatencySamples.Arbitraries)])]
    public void Percentile_of_a_snapshot_difference_covers_only_the_values_recorded_in_between(LatencySamples before, LatencySamples after)
    {
        LatencyHistogram histogram = Recorded(before.Values);
        long[] first = new long[LatencyHistogram.BucketCount];
        histogram.CopyCountsTo(first);
        foreach (long value in after.Values)
        {
            histogram.Record(value);
        }

        long[] second = new long[LatencyHistogram.BucketCount];
        histogram.CopyCountsTo(second);
        long[] interval = second.Zip(first, (s, f) => s - f).ToArray();

        AssertWithinBucket(LatencySamples.Oracle(after.Values, after.PerMille),
            LatencyHistogram.ValueAtPercentile(interval, after.Percentile));
    }

    [Property(Arbitrary = [typeof(LatencySamples.Arbitraries)])]
    public void Added_histogram_reports_the_percentiles_of_both_sets_of_values(LatencySamples one, LatencySamples other)
    {
        LatencyHistogram merged = Recorded(one.Values);
        merged.Add(Recorded(other.Values));
        long[] all = [.. one.Values, .. other.Values];

        AssertWithinBucket(LatencySamples.Oracle(all, one.PerMille), merged.ValueAtPercentile(one.Percentile));
        Assert.Equal(all.Length, merged.Count);
        Assert.Equal(all.Max(), merged.Max);
    }

    [Fact]
    public void Values_below_256_ticks_are_reported_exactly()
    {
        LatencyHistogram histogram = Recorded(Enumerable.Range(0, 256).Select(v => (long)v));

        Assert.Equal(127, histogram.ValueAtPercentile(50));
        Assert.Equal(253, histogram.ValueAtPercentile(99));
        Assert.Equal(255, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Ninety_nine_point_nine_percent_of_1000_values_is_the_999th()
    {
        LatencyHistogram histogram = Recorded(Enumerable.Range(1, 1000).Select(v => (long)v * 1000));

        // Rank 999 is 999 000 ticks; rank 1000, which a binary rounding of 0.999 × 1000 would give, is 1 000 000.
        Assert.InRange(histogram.ValueAtPercentile(99.9), 999_000, 999_000 + 999_000 / 128);
    }

    [Fact]
    public void Empty_histogram_reports_zero()
    {
        LatencyHistogram histogram = new();

        Assert.Equal(0, histogram.ValueAtPercentile(99));
        Assert.Equal(0, LatencyHistogram.ValueAtPercentile(new long[LatencyHistogram.BucketCount], 99));
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Mean);
    }

    [Fact]
    public void Count_mean_and_max_are_exact()
    {
        LatencyHistogram histogram = Recorded([100, 2_000, 30_000_000]);

        Assert.Equal(3, histogram.Count);
        Assert.Equal(30_000_000, histogram.Max);
        Assert.Equal((100 + 2_000 + 30_000_000) / 3.0, histogram.Mean);
    }

    [Fact]
    public void Negative_durations_count_as_zero()
    {
        LatencyHistogram histogram = Recorded([-5]);

        Assert.Equal(1, histogram.Count);
        Assert.Equal(0, histogram.ValueAtPercentile(100));
    }
}
