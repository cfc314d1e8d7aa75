using System.Globalization;
using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>Writes a <see cref="BenchReport"/> as a table for a terminal: one figure a row, label on the left.</summary>
internal static class ReportTable
{
    private const int MinimumLabelWidth = 20;

    public static void Write(BenchReport report, TextWriter output)
    {
        output.WriteLine(report.Title);
        output.WriteLine($"  {FormatParameters(report)}");
        output.WriteLine();
        IReadOnlyList<KeyValuePair<string, string>> rows = Rows(report);
        int width = Math.Max(MinimumLabelWidth, rows.Max(row => row.Key.Length) + 2);
        foreach ((string label, string value) in rows)
        {
            output.WriteLine($"  {label.PadRight(width)}{value}");
        }

        if (report.Details is not null)
        {
            output.WriteLine();
            report.Details.WriteText(output);
        }
    }

    /// <summary>The scenario's options on one line, e.g. "connections 64, inflight 16, size 32".</summary>
    public static string FormatParameters(BenchReport report) =>
        string.Join(", ", report.Parameters.Select(p => $"{p.Key} {FormatParameter(p.Value)}"));

    /// <summary>The figures every report shows, as label and value: the table here and in the HTML page.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Rows(BenchReport report)
    {
        List<KeyValuePair<string, string>> rows =
        [
            new("measured", Invariant($"{report.MeasuredSeconds:F1} s, {report.Connections:N0} connections")),
            new($"{report.Unit}/s", Invariant($"{report.MessagesPerSecond:N0}")),
            new("MB/s", Invariant($"{report.MegabytesPerSecond:F1}  (payload received)")),
        ];
        if (report.Latency is { Count: > 0 } latency)
        {
            string name = report.LatencyName;
            string indent = new(' ', name.Length);
            rows.Add(new($"{name} p50", Ms(latency.ValueAtPercentile(50))));
            rows.Add(new($"{indent} p90", Ms(latency.ValueAtPercentile(90))));
            rows.Add(new($"{indent} p99", Ms(latency.ValueAtPercentile(99))));
            rows.Add(new($"{indent} p99.9", Ms(latency.ValueAtPercentile(99.9))));
            rows.Add(new($"{indent} max", Ms(latency.Max)));
        }
        else if (report.Latency is not null)
        {
            rows.Add(new(report.LatencyName, "no values recorded"));
        }

        if (report.MessagesSent > 0 || report.MessagesReceived > 0)
        {
            rows.Add(new("sent / received", Invariant(
                $"{report.MessagesSent:N0} / {report.MessagesReceived:N0}  (expected {report.MessagesExpected:N0})")));
        }

        rows.Add(new("errors", FormatErrors(report.Errors)));
        rows.Add(new("cpu", FormatCpu(report.Cpu)));
        return rows;
    }

    /// <summary>"0", or the total with each kind that occurred and the first message.</summary>
    public static string FormatErrors(ErrorTally errors)
    {
        long total = errors.Total;
        if (total == 0)
        {
            return "0";
        }

        IEnumerable<string> kinds = ErrorTally.Kinds
            .Where(kind => errors.CountOf(kind) > 0)
            .Select(kind => Invariant($"{JsonNamingPolicy.CamelCase.ConvertName(kind.ToString())} {errors.CountOf(kind):N0}"));
        return Invariant($"{total:N0}: {string.Join(", ", kinds)}; first: {errors.First}");
    }

    public static string FormatCpu(CpuUsage cpu) => Invariant(
        $"generator {cpu.GeneratorPercent:F1}%  server {(cpu.ServerPercent is double server ? Invariant($"{server:F1}%") : "n/a (pass --server-pid)")}");

    private static string FormatParameter(object value) => value switch
    {
        int[] values => string.Join(',', values),
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Ms(long ticks) => ProgressLine.FormatMilliseconds(LatencyHistogram.ToMilliseconds(ticks));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
