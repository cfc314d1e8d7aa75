using System.Diagnostics.Metrics;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// The values of a meter's observable instruments at one moment, as a metrics exporter would collect them: by
/// instrument name and, for tagged instruments, by the value of their one tag.
/// </summary>
internal sealed class MeterReading
{
    private readonly Dictionary<(string Instrument, string? Tag), long> _values = [];

    public static MeterReading Take(string meterName = "Wirehub.WebSockets")
    {
        var reading = new MeterReading();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == meterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            reading._values[(instrument.Name, tags.Length == 0 ? null : tags[0].Value?.ToString())] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return reading;
    }

    public long this[string instrument, string? tag = null] => _values.GetValueOrDefault((instrument, tag));

    public bool Has(string instrument) => _values.Keys.Any(key => key.Instrument == instrument);

    /// <summary>How much an instrument moved since <paramref name="before"/>.</summary>
    public long Since(MeterReading before, string instrument, string? tag = null) => this[instrument, tag] - before[instrument, tag];
}
