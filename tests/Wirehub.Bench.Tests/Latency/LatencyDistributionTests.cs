using Wirehub.Bench.Tests.Support;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Latency;

public class LatencyDistributionTests
{
    [Fact]
    public void Bins_follow_the_1_2_5_series_and_hold_every_value()
    {
        LatencyHistogram histogram = new();
        foreach (double ms in new[] { 0.03, 0.03, 0.7, 1.5, 1.5, 1.5, 40 })
        {
            histogram.Record(SampleReport.Ticks(ms));
        }

        IReadOnlyList<LatencyBin> bins = LatencyDistribution.Of(histogram);

        Assert.Equal(histogram.Count, bins.Sum(b => b.Count));
        Assert.Equal([0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50], bins.Select(b => b.ToMs));
        Assert.Equal(2, bins.Single(b => b.ToMs == 0.05).Count);
        Assert.Equal(3, bins.Single(b => b.ToMs == 2).Count);
        Assert.Equal(1, bins.Single(b => b.ToMs == 50).Count);
    }

    [Fact]
    public void Each_bin_starts_where_the_previous_one_ends()
    {
        LatencyHistogram histogram = new();
        histogram.Record(SampleReport.Ticks(0.004));
        histogram.Record(SampleReport.Ticks(3000));

        IReadOnlyList<LatencyBin> bins = LatencyDistribution.Of(histogram);

        for (int i = 1; i < bins.Count; i++)
        {
            Assert.Equal(bins[i - 1].ToMs, bins[i].FromMs);
        }
    }

    [Fact]
    public void Bins_start_at_the_first_value_and_end_at_the_last()
    {
        LatencyHistogram histogram = new();
        histogram.Record(SampleReport.Ticks(0.3));
        histogram.Record(SampleReport.Ticks(7));

        IReadOnlyList<LatencyBin> bins = LatencyDistribution.Of(histogram);

        Assert.Equal((0.2, 0.5), (bins[0].FromMs, bins[0].ToMs));
        Assert.Equal((5, 10), (bins[^1].FromMs, bins[^1].ToMs));
    }

    [Fact]
    public void Empty_histogram_has_no_bins()
    {
        Assert.Empty(LatencyDistribution.Of(new LatencyHistogram()));
    }

    [Theory]
    [InlineData(0.05, "50 µs")]
    [InlineData(2, "2 ms")]
    [InlineData(500, "500 ms")]
    [InlineData(20_000, "20 s")]
    public void Bounds_are_labelled_in_the_unit_that_keeps_them_whole(double ms, string label)
    {
        Assert.Equal(label, LatencyDistribution.FormatBound(ms));
    }
}
