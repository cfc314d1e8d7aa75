using System.Diagnostics.Metrics;

namespace Wirehub.Realtime.Tests.Server.Support;

/// <summary>
/// Listens to the Wirehub meters while a test runs, as an exporter would: observable instruments are read on demand,
/// histogram recordings are counted as they happen. Values are keyed by instrument name and the value of its one tag.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener;
    private readonly Dictionary<(string, string?), long> _observed = [];
    private readonly Dictionary<(string, string?), int> _recordings = [];
    private readonly object _gate = new();

    public MetricsRecorder()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith("Wirehub.", StringComparison.Ordinal)) listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_gate) _observed[(instrument.Name, TagOf(tags))] = value;
        });
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            lock (_gate) _recordings[(instrument.Name, TagOf(tags))] = _recordings.GetValueOrDefault((instrument.Name, TagOf(tags))) + 1;
        });
        _listener.Start();
    }

    /// <summary>The current value of an observable instrument.</summary>
    public long Read(string instrument, string? tag = null)
    {
        _listener.RecordObservableInstruments();
        lock (_gate) return _observed.GetValueOrDefault((instrument, tag));
    }

    /// <summary>How many values a histogram recorded since this recorder started.</summary>
    public int Recordings(string instrument, string? tag = null)
    {
        lock (_gate) return _recordings.GetValueOrDefault((instrument, tag));
    }

    public void Dispose() => _listener.Dispose();

    private static string? TagOf(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length == 0 ? null : tags[0].Value?.ToString();
}
