namespace Wirehub.Cli.Bench;

/// <summary>
/// Takes a sample of a running scenario once a second, for the live progress line and the report's series. It only
/// reads: the scenario's counters through a <see cref="CounterReading"/>, and its latency histograms by copying their
/// bucket counts, whose difference from the previous copy gives the interval's p99. The hot loop is never stopped
/// or asked for anything, and nothing is allocated per message.
/// </summary>
internal sealed class RunSampler : IAsyncDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    // An interval shorter than this is folded into the next one rather than reported on its own: its rate would be
    // noise, e.g. the few milliseconds between a phase change and the next tick.
    private static readonly TimeSpan s_shortestInterval = TimeSpan.FromMilliseconds(250);

    private readonly Func<CounterReading> _read;
    private readonly IReadOnlyList<LatencyHistogram> _latency;
    private readonly ProgressLine? _progress;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly List<LiveSample> _series = [];
    private readonly Lock _gate = new();
    private long[] _previous = new long[LatencyHistogram.BucketCount];
    private long[] _current = new long[LatencyHistogram.BucketCount];
    private readonly long[] _interval = new long[LatencyHistogram.BucketCount];
    private long _lastTimestamp;
    private CounterReading _lastReading;
    private string _phase;
    private PeriodicTimer? _timer;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private bool _stopped;

    /// <param name="read">Reads the scenario's counters; called on the sampler's thread.</param>
    /// <param name="latency">The histograms the scenario records latency in, sampled as one; may be empty.</param>
    /// <param name="progress">Where to show each sample, or null for no progress output.</param>
    /// <param name="phase">The phase the run starts in.</param>
    /// <param name="time">The clock; the system clock unless a test drives it.</param>
    public RunSampler(Func<CounterReading> read, IReadOnlyList<LatencyHistogram> latency, ProgressLine? progress, string phase,
        TimeProvider? time = null)
    {
        _read = read;
        _latency = latency;
        _progress = progress;
        _phase = phase;
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
        _lastTimestamp = _start;
        _lastReading = read();
    }

    /// <summary>The samples taken so far.</summary>
    public IReadOnlyList<LiveSample> Series
    {
        get
        {
            lock (_gate)
            {
                return _series.ToArray();
            }
        }
    }

    /// <summary>
    /// What the run is doing now. Setting a new phase ends the interval under way (reported under the old phase) and
    /// starts the next second from here, so that samples line up with the phases.
    /// </summary>
    public string Phase
    {
        get
        {
            lock (_gate)
            {
                return _phase;
            }
        }

        set
        {
            lock (_gate)
            {
                if (value == _phase)
                {
                    return;
                }

                if (_time.GetElapsedTime(_lastTimestamp) >= s_shortestInterval)
                {
                    TakeSample();
                }

                _phase = value;

                // Setting the period restarts the timer's count from now.
                if (_timer is not null)
                {
                    _timer.Period = s_interval;
                }
            }
        }
    }

    /// <summary>Starts sampling once a second until <see cref="StopAsync"/>.</summary>
    public void Start()
    {
        _timer = new PeriodicTimer(s_interval, _time);
        _stop = new CancellationTokenSource();
        _loop = RunAsync(_timer, _stop.Token);
    }

    /// <summary>Takes a sample now: the interval since the previous one.</summary>
    public LiveSample Sample()
    {
        lock (_gate)
        {
            return TakeSample();
        }
    }

    /// <summary>
    /// Stops sampling, takes a last sample of the interval under way unless it is too short, and ends the progress
    /// line; later calls do nothing.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_stop is not null)
        {
            await _stop.CancelAsync();
            await _loop!;
            _stop.Dispose();
            _stop = null;
            lock (_gate)
            {
                _timer!.Dispose();
                _timer = null;
            }
        }

        lock (_gate)
        {
            if (_time.GetElapsedTime(_lastTimestamp) >= s_shortestInterval)
            {
                TakeSample();
            }
        }

        _progress?.Finish();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RunAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                // A tick that was already due when a phase change restarted the timer comes right after that
                // change's own sample; it is skipped rather than reported as a sliver of an interval.
                lock (_gate)
                {
                    if (_time.GetElapsedTime(_lastTimestamp) >= s_shortestInterval)
                    {
                        TakeSample();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private LiveSample TakeSample()
    {
        long now = _time.GetTimestamp();
        double seconds = _time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        CounterReading reading = _read();
        double? p99 = null;
        double? p99SoFar = null;
        if (_latency.Count > 0)
        {
            Array.Clear(_current);
            foreach (LatencyHistogram histogram in _latency)
            {
                histogram.AddCountsTo(_current);
            }

            for (int i = 0; i < _interval.Length; i++)
            {
                _interval[i] = _current[i] - _previous[i];
            }

            if (_interval.AsSpan().ContainsAnyExcept(0))
            {
                p99 = LatencyHistogram.ToMilliseconds(LatencyHistogram.ValueAtPercentile(_interval, 99));
            }

            if (_current.AsSpan().ContainsAnyExcept(0))
            {
                p99SoFar = LatencyHistogram.ToMilliseconds(LatencyHistogram.ValueAtPercentile(_current, 99));
            }

            (_previous, _current) = (_current, _previous);
        }

        LiveSample sample = new(
            _time.GetElapsedTime(_start, now).TotalSeconds,
            _phase,
            reading.Connections,
            seconds > 0 ? (reading.Messages - _lastReading.Messages) / seconds : 0,
            seconds > 0 ? (reading.Bytes - _lastReading.Bytes) / seconds / 1e6 : 0,
            p99,
            p99SoFar,
            reading.Errors);
        _series.Add(sample);
        _lastTimestamp = now;
        _lastReading = reading;
        _progress?.Write(sample);
        return sample;
    }
}
