using Wirehub.Realtime.Client;

namespace Wirehub.Realtime.Tests.Client;

public class ReconnectBackoffTests
{
    private static ReconnectBackoff Backoff(Func<double> random) =>
        new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(20), 2, random);

    [Fact]
    public void Delay_bounds_double_from_half_a_second_up_to_twenty_seconds()
    {
        var backoff = Backoff(() => 1.0);
        var bounds = new List<double>();
        for (int i = 0; i < 8; i++) bounds.Add(backoff.NextDelay().TotalSeconds);

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 20, 20], bounds);
    }

    [Fact]
    public void Full_jitter_draws_each_delay_uniformly_below_its_bound()
    {
        var draws = new Queue<double>([0.0, 0.25, 0.5]);
        var backoff = Backoff(() => draws.Dequeue());

        var delays = new[] { backoff.NextDelay(), backoff.NextDelay(), backoff.NextDelay() };

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(1)], delays);
    }

    [Fact]
    public void Reset_after_a_successful_connection_starts_over_from_the_initial_bound()
    {
        var backoff = Backoff(() => 1.0);
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(0.5), backoff.NextDelay());
    }

    [Fact]
    public void Default_options_are_half_a_second_twenty_seconds_factor_two()
    {
        var options = new RealtimeClientOptions();

        Assert.Equal((TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(20), 2.0),
            (options.ReconnectInitialDelay, options.ReconnectMaxDelay, options.ReconnectFactor));
    }
}
