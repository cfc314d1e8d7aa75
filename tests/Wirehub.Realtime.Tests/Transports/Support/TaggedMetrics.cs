using System.Diagnostics.Metrics;

namespace Wirehub.Realtime.Tests.Transports.Support;

/// <summary>
/// Reads the <c>Wirehub.Realtime</c> meter's observable instruments as an exporter would, keyed by instrument name and
/// every tag: <c>Read("transport.sessions.closed", "transport=sse", "code=1000")</c>.
/// </summary>
internal sealed class TaggedMetrics : IDisposable
{
    private readonly MeterListener _listener;
    private readonly Dictionary<string, long> _observed = [];
    private readonly object _gate = new();

    public TaggedMetrics()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Wirehub.Realtime") listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_gate) _observed[Key(instrument.Name, tags)] = value;
        });
        _listener.Start();
    }

    /// <summary>The current value of an observable instrument with exactly these tags (0 when never reported).</summary>
    public long Read(string instrument, params string[] tags)
    {
        _listener.RecordObservableInstruments();
        lock (_gate) return _observed.GetValueOrDefault(instrument + "{" + string.Join(",", tags.Order(StringComparer.Ordinal)) + "}");
    }

    /// <summary>Every value of an instrument, by tags, as last observed.</summary>
    public Dictionary<string, long> Snapshot(string instrument)
    {
        _listener.RecordObservableInstruments();
        lock (_gate) return _observed.Where(e => e.Key.StartsWith(instrument + "{", StringComparison.Ordinal)).ToDictionary();
    }

    public void Dispose() => _listener.Dispose();

    private static string Key(string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags) parts.Add($"{tag.Key}={tag.Value}");
        return instrument + "{" + string.Join(",", parts.Order(StringComparer.Ordinal)) + "}";
    }
}
