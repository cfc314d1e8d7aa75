using Prometheus;

namespace Wirehub.Cli.Operations;

/// <summary>
/// Exports the Wirehub meters (<c>Wirehub.WebSockets</c>, <c>Wirehub.Realtime</c>, any other <c>Wirehub.*</c>) in the
/// Prometheus text format through prometheus-net's meter adapter. Metric names are the meter and instrument names in
/// snake case, so every one starts with <c>wirehub_</c>; the adapter's own bookkeeping goes to a registry that is not
/// exported, so /metrics holds nothing else.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private const string MeterPrefix = "Wirehub.";

    // Seconds: from a tenth of a millisecond (an in-memory broker) to a few seconds (a struggling remote one).
    private static readonly double[] DurationBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly CollectorRegistry _adapterRegistry = Metrics.NewCustomRegistry();
    private readonly IDisposable _adapter;

    public PrometheusExporter()
    {
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            InstrumentFilterPredicate = instrument => instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal),
            Registry = _adapterRegistry,
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            ResolveHistogramBuckets = instrument => instrument.Unit == "s" ? DurationBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
            // The longest the adapter allows: a histogram with no new value for a day is dropped (and starts again from
            // zero, which rate() reads as a counter reset). Observable instruments are refreshed at every scrape.
            MetricsExpireAfter = TimeSpan.FromDays(1),
        });
        // The adapter reads the observable instruments when its own registry is collected: collect it first.
        Registry.AddBeforeCollectCallback(cancel => _adapterRegistry.CollectAndExportAsTextAsync(Stream.Null, cancel));
    }

    /// <summary>The registry /metrics serves.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public void Dispose() => _adapter.Dispose();
}
