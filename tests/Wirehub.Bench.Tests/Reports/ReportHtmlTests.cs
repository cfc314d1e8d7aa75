using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Wirehub.Bench.Tests.Support;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Reports;

public class ReportHtmlTests
{
    private static string Write(BenchReport report)
    {
        StringWriter html = new();
        ReportHtml.Write(report, html);
        return html.ToString();
    }

    // The page is polyglot markup: parsing it as XML is the well-formedness check.
    private static XDocument Parse(string html)
    {
        using XmlReader reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static IEnumerable<XElement> Elements(XDocument page, string name) => page.Descendants(name);

    private static XElement ById(XDocument page, string id) => page.Descendants().Single(e => (string?)e.Attribute("id") == id);

    private static double[][] Points(XElement polyline) =>
        [.. ((string)polyline.Attribute("points")!).Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

    [Fact]
    public void Page_is_well_formed()
    {
        XDocument page = Parse(Write(SampleReport.Echo(ReportJsonTests.Details())));

        Assert.Equal("html", page.Root!.Name.LocalName);
        Assert.Contains("echo against ws://127.0.0.1:9001/", page.Descendants("title").First().Value);
    }

    [Fact]
    public void Page_loads_nothing_from_anywhere()
    {
        string html = Write(SampleReport.Echo());

        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);
        Assert.DoesNotContain("http", html);
        Assert.DoesNotContain("@import", html);
    }

    [Fact]
    public void Summary_table_shows_the_reports_figures()
    {
        XDocument page = Parse(Write(SampleReport.Echo()));

        Dictionary<string, string> rows = Elements(page, "tr").ToDictionary(
            tr => tr.Elements("td").First().Value.Trim(), tr => tr.Elements("td").Last().Value);
        Assert.Equal("250,000", rows["round trips/s"]);
        Assert.StartsWith("8.0", rows["MB/s"]);
        Assert.StartsWith("3: closed 1, lost 2", rows["errors"]);
    }

    [Fact]
    public void Throughput_chart_draws_a_step_for_every_sample_of_the_series()
    {
        XDocument page = Parse(Write(SampleReport.Echo()));
        XElement chart = ById(page, "throughput");

        XElement rate = chart.Elements("polyline").Single(p => (string?)p.Attribute("data-series") == "messagesPerSecond");
        double[][] points = Points(rate);

        Assert.Equal(2 * 3, points.Length);
        // Each step is level over its interval, and the equal rates of samples 2 and 3 sit at the same height.
        Assert.Equal(points[0][1], points[1][1]);
        Assert.Equal(points[2][1], points[4][1], precision: 1);
        Assert.True(points[0][1] > points[2][1], "240 000/s is drawn below 250 000/s");
    }

    [Fact]
    public void Throughput_chart_draws_p99_only_for_seconds_with_latency_values()
    {
        XElement chart = ById(Parse(Write(SampleReport.Echo())), "throughput");

        XElement p99 = chart.Elements("polyline").Single(p => (string?)p.Attribute("data-series") == "p99Ms");

        Assert.Equal(2 * 2, Points(p99).Length);
    }

    [Fact]
    public void Throughput_chart_shades_each_phase()
    {
        XElement chart = ById(Parse(Write(SampleReport.Echo())), "throughput");

        Assert.Equal(["warmup", "measure"], chart.Elements("rect").Select(r => (string?)r.Attribute("data-phase")));
    }

    [Fact]
    public void Latency_chart_has_a_bar_per_log_scale_bin_with_its_count()
    {
        BenchReport report = SampleReport.Echo();
        XElement chart = ById(Parse(Write(report)), "latency");

        XElement[] bars = [.. chart.Elements("rect").Where(r => (string?)r.Attribute("class") == "bar")];
        IReadOnlyList<LatencyBin> bins = LatencyDistribution.Of(report.Latency!);

        Assert.Equal(bins.Count, bars.Length);
        Assert.Equal(bins.Select(b => b.Count), bars.Select(b => (long)b.Attribute("data-count")!));
        Assert.Equal(1000, bars.Sum(b => (long)b.Attribute("data-count")!));
    }

    [Fact]
    public void Page_embeds_the_json_report_with_its_series()
    {
        XDocument page = Parse(Write(SampleReport.Echo()));

        XElement script = ById(page, "report");
        using JsonDocument json = JsonDocument.Parse(script.Value);

        Assert.Equal("application/json", (string?)script.Attribute("type"));
        Assert.Equal([240_000, 250_000, 250_000.5],
            json.RootElement.GetProperty("series").EnumerateArray().Select(p => p.GetProperty("messagesPerSecond").GetDouble()));
    }

    [Fact]
    public void Text_from_the_run_is_escaped()
    {
        string html = Write(SampleReport.Echo(ReportJsonTests.Details(), firstError: "</script><b>bad & worse</b>"));

        XDocument page = Parse(html);

        Assert.DoesNotContain("</script><b>", html);
        Assert.Contains("</script><b>bad & worse</b>", string.Concat(Elements(page, "td").Select(td => td.Value)));
        Assert.Contains("the answer is 7 <b>&</b>", page.Descendants("pre").Single().Value);
        using JsonDocument json = JsonDocument.Parse(ById(page, "report").Value);
        Assert.Equal("</script><b>bad & worse</b>", json.RootElement.GetProperty("errors").GetProperty("first").GetString());
    }

    [Fact]
    public void Page_without_samples_or_latency_says_so_instead_of_drawing()
    {
        XDocument page = Parse(Write(SampleReport.WithoutLatencyOrSamples()));

        Assert.Empty(Elements(page, "svg"));
        Assert.Contains(Elements(page, "p"), p => p.Value.Contains("No samples", StringComparison.Ordinal));
        Assert.Contains(Elements(page, "p"), p => p.Value.Contains("measures no latency", StringComparison.Ordinal));
    }

    [Fact]
    public void File_is_written_as_utf8_without_a_byte_order_mark()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wirehub-bench-{Guid.NewGuid():N}.html");
        try
        {
            ReportHtml.WriteFile(SampleReport.Echo(), new FileInfo(path));

            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)'<', bytes[0]);
            Parse(File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(7, 8)]
    [InlineData(279_859, 300_000)]
    [InlineData(1_070_022, 1_500_000)]
    [InlineData(0.17, 0.2)]
    [InlineData(100, 100)]
    public void Axis_tops_are_the_next_round_number(double value, double top)
    {
        Assert.Equal(top, ReportHtml.NiceCeiling(value), precision: 9);
    }
}
