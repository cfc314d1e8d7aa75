namespace Wirehub.Realtime.Server;

/// <summary>
/// Admission before the upgrade: at most <c>maxConnections</c> open (0: no limit) and at most <c>rate</c> new ones per
/// second (0: no limit), so an overloaded node answers 503 cheaply instead of accepting connections it cannot serve.
/// </summary>
internal sealed class ConnectionAdmission(int maxConnections, int rate, TimeProvider time)
{
    private readonly object _gate = new();
    private int _open;
    private double _tokens = rate;
    private long _last = time.GetTimestamp();

    public int Open => Volatile.Read(ref _open);

    public bool TryAdmit()
    {
        lock (_gate)
        {
            if (maxConnections > 0 && _open >= maxConnections)
            {
                Diagnostics.RealtimeMetrics.Record(Diagnostics.ShedReason.ConnectionLimit);
                return false;
            }
            if (rate > 0)
            {
                long now = time.GetTimestamp();
                _tokens = Math.Min(rate, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * rate);
                _last = now;
                if (_tokens < 1)
                {
                    Diagnostics.RealtimeMetrics.Record(Diagnostics.ShedReason.ConnectionRate);
                    return false;
                }
                _tokens -= 1;
            }
            _open++;
            return true;
        }
    }

    /// <summary>An admitted request finished (its connection closed, or its handshake failed).</summary>
    public void Release()
    {
        lock (_gate) _open--;
    }
}
