using System.Globalization;

namespace Wirehub.Operations.Tests.Support;

/// <summary>A scrape of /metrics in the Prometheus text format: samples by name and label set, and the declared families.</summary>
internal sealed class PrometheusText
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public PrometheusText(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Families.Add(line.Split(' ')[2]);
                continue;
            }
            if (line.StartsWith('#')) continue;
            int space = line.LastIndexOf(' ');
            string series = line[..space];
            _samples[series] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            SampleNames.Add(series.Split('{')[0]);
        }
    }

    /// <summary>Names given by <c># TYPE</c> lines.</summary>
    public HashSet<string> Families { get; } = new(StringComparer.Ordinal);

    /// <summary>Names of every sample line (histograms add _bucket, _sum and _count).</summary>
    public HashSet<string> SampleNames { get; } = new(StringComparer.Ordinal);

    /// <summary>The value of a sample, e.g. <c>Value("wirehub_websockets_connections_closed", "code=\"4000\"")</c>; 0 when absent.</summary>
    public double Value(string name, string? labels = null) =>
        _samples.GetValueOrDefault(labels is null ? name : $"{name}{{{labels}}}");

    public bool Has(string name, string? labels = null) => _samples.ContainsKey(labels is null ? name : $"{name}{{{labels}}}");
}
