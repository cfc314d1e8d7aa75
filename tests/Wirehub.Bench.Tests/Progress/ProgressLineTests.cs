using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Progress;

public class ProgressLineTests
{
    private static readonly LiveSample s_measuring = new(72.9, "measure", 64, 1_070_022.4, 34.24, 1.1, 1.2341, 3);

    [Fact]
    public void Line_shows_elapsed_time_phase_connections_rate_megabytes_p99_so_far_and_errors()
    {
        Assert.Equal(
            "01:12  measure           64 conn    1,070,022 msg/s      34.2 MB/s  p99   1.234 ms  errors 3",
            ProgressLine.Format(s_measuring, "msg/s"));
    }

    [Fact]
    public void Line_shows_a_dash_for_p99_before_any_latency_is_recorded()
    {
        LiveSample warmup = s_measuring with { Phase = "warmup", P99Ms = null, P99SoFarMs = null };

        Assert.Contains("p99          -  errors", ProgressLine.Format(warmup, "msg/s"));
    }

    [Fact]
    public void Line_names_the_scenarios_unit()
    {
        Assert.Contains("1,070,022 handshakes/s", ProgressLine.Format(s_measuring, "handshakes/s"));
    }

    [Theory]
    [InlineData(0.4123, "0.412 ms")]
    [InlineData(48.31, "48.31 ms")]
    [InlineData(312.26, "312.3 ms")]
    [InlineData(2500.4, "2500 ms")]
    public void Milliseconds_keep_about_four_significant_digits(double ms, string text)
    {
        Assert.Equal(text, ProgressLine.FormatMilliseconds(ms));
    }

    [Fact]
    public void Lines_mode_writes_each_sample_on_a_line_of_its_own()
    {
        StringWriter output = new();
        ProgressLine progress = new(output, inPlace: false, "msg/s");

        progress.Write(s_measuring);
        progress.Write(s_measuring with { ElapsedSeconds = 73.9 });
        progress.Finish();

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain('\r', output.ToString().Replace(Environment.NewLine, ""));
        Assert.StartsWith("01:13", lines[1]);
    }

    [Fact]
    public void In_place_mode_rewrites_the_line_after_a_carriage_return()
    {
        StringWriter output = new();
        ProgressLine progress = new(output, inPlace: true, "msg/s");

        progress.Write(s_measuring);
        progress.Write(s_measuring with { ElapsedSeconds = 73.9 });

        Assert.Equal(
            "\r" + ProgressLine.Format(s_measuring, "msg/s") + "\r" + ProgressLine.Format(s_measuring with { ElapsedSeconds = 73.9 }, "msg/s"),
            output.ToString());
    }

    [Fact]
    public void In_place_mode_blanks_what_a_longer_previous_line_left()
    {
        StringWriter output = new();
        ProgressLine progress = new(output, inPlace: true, "msg/s");
        LiveSample longer = s_measuring with { Errors = 123_456 };

        progress.Write(longer);
        progress.Write(s_measuring);

        string last = output.ToString().Split('\r')[^1];
        Assert.Equal(ProgressLine.Format(longer, "msg/s").Length, last.Length);
        Assert.EndsWith("errors 3      ", last);
    }

    [Fact]
    public void In_place_mode_keeps_the_last_line_of_each_phase()
    {
        StringWriter output = new();
        ProgressLine progress = new(output, inPlace: true, "msg/s");

        progress.Write(s_measuring with { Phase = "warmup" });
        progress.Write(s_measuring);

        string[] lines = output.ToString().Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.Contains("warmup", lines[0]);
        Assert.Contains("measure", lines[1]);
    }

    [Fact]
    public void Finish_ends_an_in_place_line_so_the_report_starts_on_its_own()
    {
        StringWriter output = new();
        ProgressLine progress = new(output, inPlace: true, "msg/s");

        progress.Write(s_measuring);
        progress.Finish();

        Assert.EndsWith(Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Finish_without_a_line_shown_writes_nothing()
    {
        StringWriter output = new();

        new ProgressLine(output, inPlace: true, "msg/s").Finish();

        Assert.Empty(output.ToString());
    }
}
