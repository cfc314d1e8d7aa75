namespace Wirehub.Realtime.Client;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a uniform random time in [0, min(max, initial * factor^n)),
/// so clients dropped together do not come back together.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, double factor, Func<double> random)
{
    private int _attempt;

    public ReconnectBackoff(RealtimeClientOptions options)
        : this(options.ReconnectInitialDelay, options.ReconnectMaxDelay, options.ReconnectFactor, Random.Shared.NextDouble)
    {
    }

    /// <summary>Failed attempts since the last successful connection.</summary>
    public int Attempt => _attempt;

    /// <summary>The bound of the next delay.</summary>
    public TimeSpan CurrentBound
    {
        get
        {
            double bound = initial.TotalMilliseconds * Math.Pow(factor, Math.Min(_attempt, 64));
            return TimeSpan.FromMilliseconds(Math.Min(bound, max.TotalMilliseconds));
        }
    }

    /// <summary>The delay before the next attempt; grows the bound for the one after.</summary>
    public TimeSpan NextDelay()
    {
        var bound = CurrentBound;
        _attempt++;
        return TimeSpan.FromMilliseconds(bound.TotalMilliseconds * random());
    }

    /// <summary>Starts over after a successful connection.</summary>
    public void Reset() => _attempt = 0;
}
