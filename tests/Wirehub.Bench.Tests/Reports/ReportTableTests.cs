using Wirehub.Bench.Tests.Support;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Reports;

public class ReportTableTests
{
    private static string[] Lines(BenchReport report)
    {
        StringWriter output = new();
        ReportTable.Write(report, output);
        return output.ToString().Split(Environment.NewLine);
    }

    private static string Row(string[] lines, string label) =>
        lines.Single(line => line.TrimStart().StartsWith(label + " ", StringComparison.Ordinal));

    [Fact]
    public void Table_starts_with_the_scenario_target_and_parameters()
    {
        string[] lines = Lines(SampleReport.Echo());

        Assert.Equal("echo against ws://127.0.0.1:9001/ (server pid 4242)", lines[0]);
        Assert.Equal("  connections 64, size 32, durationSeconds 2.5, rates 100,200, mode fast", lines[1]);
    }

    [Fact]
    public void Table_shows_rate_megabytes_latency_percentiles_counts_errors_and_cpu()
    {
        string[] lines = Lines(SampleReport.Echo());

        Assert.EndsWith(" 250,000", Row(lines, "round trips/s"));
        Assert.Contains(" 8.0", Row(lines, "MB/s"));
        Assert.Contains("ms", Row(lines, "round trip p50"));
        Assert.Contains(lines, line => line.TrimStart().StartsWith("p99.9 ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.TrimStart().StartsWith("max ", StringComparison.Ordinal));
        Assert.Contains("1,000,002 / 1,000,000  (expected 1,000,002)", Row(lines, "sent / received"));
        Assert.Contains("generator 41.3%  server 99.0%", Row(lines, "cpu"));
    }

    [Fact]
    public void Errors_row_lists_each_kind_that_occurred_and_the_first_message()
    {
        string[] lines = Lines(SampleReport.Echo());

        Assert.EndsWith("3: closed 1, lost 2; first: The server closed the connection.", Row(lines, "errors"));
    }

    [Fact]
    public void Values_line_up_in_one_column()
    {
        string[] rows = Lines(SampleReport.Echo()).Skip(3).TakeWhile(line => line.Length > 0).ToArray();

        int column = Row(rows, "measured").IndexOf("2.0 s", StringComparison.Ordinal);
        Assert.All(rows, row => Assert.NotEqual(' ', row[column]));
        Assert.All(rows, row => Assert.Equal(' ', row[column - 1]));
    }

    [Fact]
    public void Scenario_without_latency_or_messages_shows_neither()
    {
        string[] lines = Lines(SampleReport.WithoutLatencyOrSamples());

        Assert.DoesNotContain(lines, line => line.Contains("p50", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("sent / received", StringComparison.Ordinal));
        Assert.Contains("n/a (pass --server-pid)", Row(lines, "cpu"));
        Assert.EndsWith(" 0", Row(lines, "errors"));
    }

    [Fact]
    public void Scenario_details_follow_the_table()
    {
        string[] lines = Lines(SampleReport.Echo(ReportJsonTests.Details()));

        Assert.Equal("  the answer is 7 <b>&</b>", lines[^2]);
    }
}
