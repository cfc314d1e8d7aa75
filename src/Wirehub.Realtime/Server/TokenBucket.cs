namespace Wirehub.Realtime.Server;

/// <summary>A token bucket: <c>rate</c> events per second, bursts up to <c>rate</c>. Used by one connection's receive loop.</summary>
internal sealed class TokenBucket(int rate, TimeProvider time)
{
    private double _tokens = rate;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        long now = time.GetTimestamp();
        _tokens = Math.Min(rate, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * rate);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
