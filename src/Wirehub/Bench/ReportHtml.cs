using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Writes a <see cref="BenchReport"/> as one self-contained HTML page: the summary table, the throughput-over-time
/// chart (with each second's p99), the latency histogram, the scenario's details and the JSON report itself. Charts are
/// inline SVG drawn here, so the page needs no script and no network. The markup is also well-formed XML, so tools can
/// read it without an HTML parser.
/// </summary>
internal static class ReportHtml
{
    private const double ChartWidth = 900;
    private const double ChartHeight = 300;
    private const double Left = 70;
    private const double Right = 70;
    private const double Top = 20;
    private const double Bottom = 50;
    private const double PlotWidth = ChartWidth - Left - Right;
    private const double PlotHeight = ChartHeight - Top - Bottom;
    private const int Ticks = 5;

    private const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
        .meta { color: #666; }
        table { border-collapse: collapse; }
        td { padding: 2px 16px 2px 0; vertical-align: top; } td:first-child { color: #555; white-space: pre; }
        svg { font: 11px system-ui, sans-serif; background: #fff; }
        .axis { stroke: #999; } .grid { stroke: #eee; }
        .phase-even { fill: #f4f6fa; } .phase-odd { fill: #eaeef5; } .phase-label { fill: #667; }
        .rate { fill: none; stroke: #2b6cb0; stroke-width: 2; }
        .p99 { fill: none; stroke: #c05621; stroke-width: 1.5; stroke-dasharray: 4 3; }
        .bar { fill: #2b6cb0; } .bar:hover { fill: #1a4480; }
        .legend-rate { fill: #2b6cb0; } .legend-p99 { fill: #c05621; }
        pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
        """;

    /// <summary>Writes the page to a file, creating its folder.</summary>
    public static void WriteFile(BenchReport report, FileInfo path)
    {
        path.Directory?.Create();
        using StreamWriter file = new(path.FullName, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Write(report, file);
    }

    public static void Write(BenchReport report, TextWriter html)
    {
        html.WriteLine("<!DOCTYPE html>");
        html.WriteLine("<html lang=\"en\">");
        html.WriteLine("<head>");
        html.WriteLine("<meta charset=\"utf-8\" />");
        html.WriteLine($"<title>wirehub bench {Text(report.Title)}</title>");
        html.WriteLine($"<style>{Style}</style>");
        html.WriteLine("</head>");
        html.WriteLine("<body>");
        html.WriteLine($"<h1>wirehub bench {Text(report.Title)}</h1>");
        RunEnvironment environment = report.Environment;
        html.WriteLine($"<p class=\"meta\">{Text(Invariant($"{report.StartedAt:u} to {report.FinishedAt:u}"))}; "
            + Text(Invariant($"{environment.Machine}, {environment.Cpu}, {environment.Cores} cores ({environment.ProcessorsAvailable} available), "))
            + Text($"{environment.OperatingSystem}, kernel {environment.Kernel}, {environment.Runtime}, wirehub {environment.GeneratorVersion}")
            + "</p>");
        html.WriteLine($"<p>{Text(ReportTable.FormatParameters(report))}</p>");

        html.WriteLine("<table class=\"summary\">");
        foreach ((string label, string value) in ReportTable.Rows(report))
        {
            html.WriteLine($"<tr><td>{Text(label)}</td><td>{Text(value)}</td></tr>");
        }

        html.WriteLine("</table>");

        html.WriteLine($"<h2>Throughput over time: {Text(report.Unit)} per second, and each second's p99</h2>");
        WriteThroughputChart(html, report);

        html.WriteLine($"<h2>Latency histogram{(report.Latency is null ? "" : $": {Text(report.LatencyName)}")}</h2>");
        WriteLatencyChart(html, report.Latency);

        if (report.Details is not null)
        {
            StringWriter details = new();
            report.Details.WriteText(details);
            html.WriteLine("<h2>Details</h2>");
            html.WriteLine($"<pre>{Text(details.ToString())}</pre>");
        }

        // The default encoder escapes <, > and &, so the JSON cannot end the script element early.
        MemoryStream json = new();
        using (Utf8JsonWriter writer = new(json))
        {
            ReportJson.Write(report, writer);
        }

        html.WriteLine($"<script type=\"application/json\" id=\"report\">{Encoding.UTF8.GetString(json.ToArray())}</script>");
        html.WriteLine("</body>");
        html.WriteLine("</html>");
    }

    private static void WriteThroughputChart(TextWriter html, BenchReport report)
    {
        IReadOnlyList<LiveSample> series = report.Series;
        if (series.Count == 0)
        {
            html.WriteLine("<p>No samples: the run ended within its first second.</p>");
            return;
        }

        double maxTime = Math.Max(series[^1].ElapsedSeconds, 1);
        double maxRate = NiceCeiling(series.Max(s => s.MessagesPerSecond));
        double maxP99 = NiceCeiling(series.Max(s => s.P99Ms ?? 0));
        double X(double seconds) => Left + seconds / maxTime * PlotWidth;
        double YRate(double rate) => Top + PlotHeight - rate / maxRate * PlotHeight;
        double YP99(double ms) => Top + PlotHeight - ms / maxP99 * PlotHeight;

        html.WriteLine($"<svg id=\"throughput\" width=\"{N(ChartWidth)}\" height=\"{N(ChartHeight)}\" viewBox=\"0 0 {N(ChartWidth)} {N(ChartHeight)}\" role=\"img\">");
        html.WriteLine($"<title>{Text(report.Unit)} per second over the run</title>");

        // Phase bands behind the lines: consecutive samples of one phase form a band.
        int band = 0;
        double bandStart = 0;
        for (int i = 0; i < series.Count; i++)
        {
            if (i + 1 < series.Count && series[i + 1].Phase == series[i].Phase)
            {
                continue;
            }

            double x = X(bandStart);
            double width = X(series[i].ElapsedSeconds) - x;
            html.WriteLine($"<rect class=\"{(band % 2 == 0 ? "phase-even" : "phase-odd")}\" data-phase=\"{Text(series[i].Phase)}\" "
                + $"x=\"{N(x)}\" y=\"{N(Top)}\" width=\"{N(width)}\" height=\"{N(PlotHeight)}\"><title>{Text(series[i].Phase)}</title></rect>");
            if (width > 48)
            {
                html.WriteLine($"<text class=\"phase-label\" x=\"{N(x + 4)}\" y=\"{N(Top + 12)}\">{Text(series[i].Phase)}</text>");
            }

            bandStart = series[i].ElapsedSeconds;
            band++;
        }

        for (int tick = 0; tick <= Ticks; tick++)
        {
            double y = Top + PlotHeight - tick * PlotHeight / Ticks;
            html.WriteLine($"<line class=\"grid\" x1=\"{N(Left)}\" x2=\"{N(Left + PlotWidth)}\" y1=\"{N(y)}\" y2=\"{N(y)}\" />");
            html.WriteLine($"<text x=\"{N(Left - 6)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{Text(Compact(maxRate * tick / Ticks))}</text>");
            html.WriteLine($"<text x=\"{N(Left + PlotWidth + 6)}\" y=\"{N(y + 4)}\">{Text(Compact(maxP99 * tick / Ticks))}</text>");
            double seconds = maxTime * tick / Ticks;
            html.WriteLine($"<text x=\"{N(X(seconds))}\" y=\"{N(Top + PlotHeight + 16)}\" text-anchor=\"middle\">{Text(Invariant($"{seconds:0.#} s"))}</text>");
        }

        html.WriteLine($"<line class=\"axis\" x1=\"{N(Left)}\" x2=\"{N(Left)}\" y1=\"{N(Top)}\" y2=\"{N(Top + PlotHeight)}\" />");
        html.WriteLine($"<line class=\"axis\" x1=\"{N(Left)}\" x2=\"{N(Left + PlotWidth)}\" y1=\"{N(Top + PlotHeight)}\" y2=\"{N(Top + PlotHeight)}\" />");

        // Steps, not a line through the points: each sample is a rate over the interval since the one before.
        StringBuilder rate = new();
        double previous = 0;
        foreach (LiveSample sample in series)
        {
            double y = YRate(sample.MessagesPerSecond);
            rate.Append(Invariant($"{N(X(previous))},{N(y)} {N(X(sample.ElapsedSeconds))},{N(y)} "));
            previous = sample.ElapsedSeconds;
        }

        html.WriteLine($"<polyline class=\"rate\" data-series=\"messagesPerSecond\" points=\"{rate.ToString().TrimEnd()}\" />");

        // One step per second with latency values; a second without any breaks the line.
        previous = 0;
        StringBuilder p99 = new();
        foreach (LiveSample sample in series)
        {
            if (sample.P99Ms is double ms)
            {
                p99.Append(Invariant($"{N(X(previous))},{N(YP99(ms))} {N(X(sample.ElapsedSeconds))},{N(YP99(ms))} "));
            }
            else if (p99.Length > 0)
            {
                html.WriteLine($"<polyline class=\"p99\" data-series=\"p99Ms\" points=\"{p99.ToString().TrimEnd()}\" />");
                p99.Clear();
            }

            previous = sample.ElapsedSeconds;
        }

        if (p99.Length > 0)
        {
            html.WriteLine($"<polyline class=\"p99\" data-series=\"p99Ms\" points=\"{p99.ToString().TrimEnd()}\" />");
        }

        double legendY = ChartHeight - 12;
        html.WriteLine($"<text class=\"legend-rate\" x=\"{N(Left)}\" y=\"{N(legendY)}\">{Text($"— {report.Unit}/s (left axis)")}</text>");
        html.WriteLine($"<text class=\"legend-p99\" x=\"{N(Left + 260)}\" y=\"{N(legendY)}\">- - p99 of the second, ms (right axis)</text>");
        html.WriteLine("</svg>");
    }

    private static void WriteLatencyChart(TextWriter html, LatencyHistogram? latency)
    {
        IReadOnlyList<LatencyBin> bins = latency is null ? [] : LatencyDistribution.Of(latency);
        if (bins.Count == 0)
        {
            html.WriteLine(latency is null
                ? "<p>This scenario measures no latency.</p>"
                : "<p>No latency values were recorded.</p>");
            return;
        }

        long total = bins.Sum(b => b.Count);
        double maxCount = NiceCeiling(bins.Max(b => b.Count));
        double slot = PlotWidth / bins.Count;
        html.WriteLine($"<svg id=\"latency\" width=\"{N(ChartWidth)}\" height=\"{N(ChartHeight)}\" viewBox=\"0 0 {N(ChartWidth)} {N(ChartHeight)}\" role=\"img\">");
        html.WriteLine("<title>How many values fell in each log-scale latency bin</title>");
        for (int tick = 0; tick <= Ticks; tick++)
        {
            double y = Top + PlotHeight - tick * PlotHeight / Ticks;
            html.WriteLine($"<line class=\"grid\" x1=\"{N(Left)}\" x2=\"{N(Left + PlotWidth)}\" y1=\"{N(y)}\" y2=\"{N(y)}\" />");
            html.WriteLine($"<text x=\"{N(Left - 6)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{Text(Compact(maxCount * tick / Ticks))}</text>");
        }

        for (int i = 0; i < bins.Count; i++)
        {
            LatencyBin bin = bins[i];
            double height = bin.Count / maxCount * PlotHeight;
            double x = Left + i * slot;
            string range = $"{LatencyDistribution.FormatBound(bin.FromMs)} to {LatencyDistribution.FormatBound(bin.ToMs)}";
            html.WriteLine($"<rect class=\"bar\" data-from-ms=\"{N(bin.FromMs)}\" data-to-ms=\"{N(bin.ToMs)}\" data-count=\"{bin.Count}\" "
                + $"x=\"{N(x + 1)}\" y=\"{N(Top + PlotHeight - height)}\" width=\"{N(slot - 2)}\" height=\"{N(height)}\">"
                + $"<title>{Text(Invariant($"{range}: {bin.Count:N0} ({100.0 * bin.Count / total:0.##}%)"))}</title></rect>");
            html.WriteLine($"<text x=\"{N(x)}\" y=\"{N(Top + PlotHeight + 16)}\" text-anchor=\"middle\">{Text(LatencyDistribution.FormatBound(bin.FromMs))}</text>");
        }

        html.WriteLine($"<text x=\"{N(Left + PlotWidth)}\" y=\"{N(Top + PlotHeight + 16)}\" text-anchor=\"middle\">{Text(LatencyDistribution.FormatBound(bins[^1].ToMs))}</text>");

        html.WriteLine($"<line class=\"axis\" x1=\"{N(Left)}\" x2=\"{N(Left + PlotWidth)}\" y1=\"{N(Top + PlotHeight)}\" y2=\"{N(Top + PlotHeight)}\" />");
        html.WriteLine($"<text x=\"{N(Left)}\" y=\"{N(ChartHeight - 12)}\">values per bin; bins are log-scale, three per decade (1, 2, 5)</text>");
        html.WriteLine("</svg>");
    }

    // The next round number at or above the value, a power of ten times one of these, so that the five axis ticks
    // fall on round numbers and the top of the chart is not mostly empty.
    private static readonly double[] s_roundSteps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

    internal static double NiceCeiling(double value)
    {
        if (value <= 0 || double.IsNaN(value))
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in s_roundSteps)
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    // Axis labels: 950, 1.2k, 3.4M.
    private static string Compact(double value) => value switch
    {
        >= 1e9 => Invariant($"{value / 1e9:0.##}G"),
        >= 1e6 => Invariant($"{value / 1e6:0.##}M"),
        >= 1e3 => Invariant($"{value / 1e3:0.##}k"),
        _ => Invariant($"{value:0.##}"),
    };

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Text(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
