using Wirehub.Bench.Tests.Support;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Progress;

/// <summary>The sampler driven by hand: a manual clock and counters the test sets, no timer and no sleeping.</summary>
public class RunSamplerTests
{
    private readonly ManualClock _clock = new();
    private CounterReading _counters;

    private RunSampler Sampler(params LatencyHistogram[] latency) =>
        new(() => _counters, latency, progress: null, phase: "warmup", _clock);

    [Fact]
    public void Rates_are_the_counter_increase_over_the_interval()
    {
        RunSampler sampler = Sampler();
        _counters = new CounterReading(Connections: 8, Messages: 5_000, Bytes: 3_000_000, Errors: 2);
        _clock.Advance(TimeSpan.FromSeconds(2));

        LiveSample sample = sampler.Sample();

        Assert.Equal(2.0, sample.ElapsedSeconds);
        Assert.Equal(8, sample.Connections);
        Assert.Equal(2_500, sample.MessagesPerSecond);
        Assert.Equal(1.5, sample.MegabytesPerSecond);
        Assert.Equal(2, sample.Errors);
    }

    [Fact]
    public void Each_sample_counts_from_the_previous_one()
    {
        RunSampler sampler = Sampler();
        _counters = new CounterReading(1, 1_000, 0, 0);
        _clock.Advance(TimeSpan.FromSeconds(1));
        sampler.Sample();
        _counters = new CounterReading(1, 1_400, 0, 0);
        _clock.Advance(TimeSpan.FromSeconds(0.5));

        LiveSample second = sampler.Sample();

        Assert.Equal(800, second.MessagesPerSecond);
        Assert.Equal(1.5, second.ElapsedSeconds);
    }

    [Fact]
    public void Counts_already_there_when_sampling_starts_are_not_a_rate()
    {
        _counters = new CounterReading(1, 9_000, 0, 0);
        RunSampler sampler = Sampler();
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, sampler.Sample().MessagesPerSecond);
    }

    [Fact]
    public void Interval_p99_covers_only_the_values_recorded_since_the_previous_sample()
    {
        LatencyHistogram latency = new();
        RunSampler sampler = Sampler(latency);
        Record(latency, ms: 1, times: 100);
        _clock.Advance(TimeSpan.FromSeconds(1));
        LiveSample first = sampler.Sample();
        Record(latency, ms: 50, times: 100);
        _clock.Advance(TimeSpan.FromSeconds(1));

        LiveSample second = sampler.Sample();

        Assert.InRange(first.P99Ms!.Value, 1, 1.01);
        Assert.InRange(second.P99Ms!.Value, 50, 50.5);
        Assert.InRange(second.P99SoFarMs!.Value, 50, 50.5);
    }

    [Fact]
    public void P99_so_far_covers_every_value_recorded()
    {
        LatencyHistogram latency = new();
        RunSampler sampler = Sampler(latency);
        Record(latency, ms: 80, times: 100);
        _clock.Advance(TimeSpan.FromSeconds(1));
        sampler.Sample();
        Record(latency, ms: 3, times: 100);
        _clock.Advance(TimeSpan.FromSeconds(1));

        LiveSample second = sampler.Sample();

        Assert.InRange(second.P99Ms!.Value, 3, 3.03);
        Assert.InRange(second.P99SoFarMs!.Value, 80, 80.7);
    }

    [Fact]
    public void Interval_without_latency_values_has_no_p99()
    {
        LatencyHistogram latency = new();
        RunSampler sampler = Sampler(latency);
        Record(latency, ms: 5, times: 10);
        _clock.Advance(TimeSpan.FromSeconds(1));
        sampler.Sample();
        _clock.Advance(TimeSpan.FromSeconds(1));

        LiveSample quiet = sampler.Sample();

        Assert.Null(quiet.P99Ms);
        Assert.NotNull(quiet.P99SoFarMs);
    }

    [Fact]
    public void Several_histograms_are_sampled_as_one()
    {
        LatencyHistogram fast = new();
        LatencyHistogram slow = new();
        RunSampler sampler = Sampler(fast, slow);
        Record(fast, ms: 1, times: 90);
        Record(slow, ms: 40, times: 10);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.InRange(sampler.Sample().P99Ms!.Value, 40, 40.4);
    }

    [Fact]
    public void Changing_phase_ends_the_interval_under_the_old_phase()
    {
        RunSampler sampler = Sampler();
        _clock.Advance(TimeSpan.FromSeconds(0.6));

        sampler.Phase = "measure";
        _clock.Advance(TimeSpan.FromSeconds(1));
        sampler.Sample();

        Assert.Equal(["warmup", "measure"], sampler.Series.Select(s => s.Phase));
        Assert.Equal([0.6, 1.6], sampler.Series.Select(s => s.ElapsedSeconds));
    }

    [Fact]
    public void A_phase_shorter_than_a_quarter_second_is_folded_into_the_next_sample()
    {
        RunSampler sampler = Sampler();
        _clock.Advance(TimeSpan.FromSeconds(0.1));

        sampler.Phase = "measure";

        Assert.Empty(sampler.Series);
        Assert.Equal("measure", sampler.Phase);
    }

    [Fact]
    public async Task Stopping_takes_a_last_sample_of_the_interval_under_way()
    {
        RunSampler sampler = Sampler();
        _counters = new CounterReading(1, 500, 0, 0);
        _clock.Advance(TimeSpan.FromSeconds(0.5));

        await sampler.StopAsync();

        Assert.Equal(1_000, Assert.Single(sampler.Series).MessagesPerSecond);
    }

    [Fact]
    public async Task Stopping_twice_takes_no_second_sample()
    {
        RunSampler sampler = Sampler();
        _clock.Advance(TimeSpan.FromSeconds(1));
        await sampler.StopAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));

        await sampler.StopAsync();

        Assert.Single(sampler.Series);
    }

    [Fact]
    public void Every_sample_is_shown_on_the_progress_line()
    {
        StringWriter output = new();
        RunSampler sampler = new(() => _counters, [], new ProgressLine(output, inPlace: false, "msg/s"), "measure", _clock);
        _clock.Advance(TimeSpan.FromSeconds(1));
        sampler.Sample();
        _clock.Advance(TimeSpan.FromSeconds(1));
        sampler.Sample();

        Assert.Equal(2, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static void Record(LatencyHistogram histogram, double ms, int times)
    {
        for (int i = 0; i < times; i++)
        {
            histogram.Record(SampleReport.Ticks(ms));
        }
    }
}
