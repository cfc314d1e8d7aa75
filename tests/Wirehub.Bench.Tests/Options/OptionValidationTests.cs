using System.Net;
using System.Net.Sockets;
using Wirehub.Bench.Tests.Support;

namespace Wirehub.Bench.Tests.Options;

/// <summary>A command line the generator cannot use exits with 2 and names the option at fault, before any connection.</summary>
public class OptionValidationTests
{
    // Nothing listens here: a command line that got past validation would fail to connect and exit with 1 instead.
    private const string Url = "ws://127.0.0.1:1/";

    [Theory]
    [InlineData("echo", "--duration", "abc")]
    [InlineData("echo", "--duration", "-5s")]
    [InlineData("echo", "--warmup", "10x")]
    [InlineData("echo", "--duration", "2h")]
    [InlineData("broadcast", "--step", "soon")]
    [InlineData("broadcast", "--settle", "1e3")]
    [InlineData("broadcast", "--p99-limit", "fast")]
    [InlineData("broadcast", "--stop-above-p99", "ms")]
    [InlineData("idle", "--settle", "-1")]
    [InlineData("idle", "--hold", "x")]
    [InlineData("handshakes", "--duration", "")]
    [InlineData("handshakes", "--warmup", "1,5s")]
    public async Task Unreadable_duration_exits_with_2_naming_the_option(string scenario, string option, string value)
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync(scenario, "--url", Url, "--server-pid", "1", option, value);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"{option}: '{value}' is not a duration", outcome.Error);
        Assert.Empty(outcome.Output);
    }

    [Theory]
    [InlineData("echo", "--duration")]
    [InlineData("handshakes", "--duration")]
    [InlineData("broadcast", "--step")]
    [InlineData("broadcast", "--p99-limit")]
    public async Task Zero_length_measurement_exits_with_2_naming_the_option(string scenario, string option)
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync(scenario, "--url", Url, option, "0s");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"{option} must be longer than 0", outcome.Error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100,-5")]
    [InlineData("fast")]
    [InlineData("100,,2.5")]
    public async Task Rate_that_is_not_a_positive_whole_number_exits_with_2_naming_rates(string rates)
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("broadcast", "--url", Url, "--rates", rates);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("in --rates is not a positive whole number", outcome.Error);
    }

    [Fact]
    public async Task More_rates_than_steps_allow_exits_with_2_naming_rates()
    {
        string rates = string.Join(',', Enumerable.Range(1, 300));

        BenchCli.Outcome outcome = await BenchCli.RunAsync("broadcast", "--url", Url, "--rates", rates);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--rates needs 1 to 255", outcome.Error);
    }

    [Theory]
    [InlineData("echo", "--connections", "0", "--connections must be at least 1.")]
    [InlineData("echo", "--size", "8", "--size must be at least 16.")]
    [InlineData("broadcast", "--size", "10", "--size must be at least 18.")]
    [InlineData("handshakes", "--concurrency", "-3", "--concurrency must be at least 1.")]
    public async Task Count_below_its_minimum_exits_with_2_naming_the_option(string scenario, string option, string value, string message)
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync(scenario, "--url", Url, option, value);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.Error);
    }

    [Fact]
    public async Task Missing_url_exits_with_2_naming_it()
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("echo");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("'--url'", outcome.Error);
    }

    [Fact]
    public async Task Relative_url_exits_with_2_naming_it()
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("echo", "--url", "127.0.0.1:5000");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--url: '127.0.0.1:5000' is not an absolute URL", outcome.Error);
    }

    [Fact]
    public async Task Unknown_progress_mode_exits_with_2_naming_the_option()
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("echo", "--url", Url, "--progress", "sometimes");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--progress", outcome.Error);
    }

    [Fact]
    public async Task Stray_argument_exits_with_2_naming_it()
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("echo", "--url", Url, "10s");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("'10s' is not an option of 'wirehub bench echo'.", outcome.Error);
    }

    [Fact]
    public async Task Idle_without_a_server_pid_exits_with_2_saying_why()
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("idle", "--url", Url);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--server-pid", outcome.Error);
    }

    [Fact]
    public async Task Every_problem_is_listed_with_a_pointer_to_help()
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("echo", "--url", Url, "--duration", "x", "--connections", "0");

        Assert.Contains("--duration: 'x' is not a duration", outcome.Error);
        Assert.Contains("--connections must be at least 1.", outcome.Error);
        Assert.EndsWith($"Run 'wirehub bench echo --help' for its options.{Environment.NewLine}", outcome.Error);
    }

    [Fact]
    public async Task Server_that_refuses_connections_fails_the_run_with_1()
    {
        // A port that was just free: connecting to it is refused.
        using Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        listener.Close();

        BenchCli.Outcome outcome = await BenchCli.RunAsync("echo", "--url", $"ws://127.0.0.1:{port}/", "--connections", "1",
            "--duration", "1s", "--warmup", "0s", "--progress", "off");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("bench echo failed: Opening 1 connections", outcome.Error);
        Assert.Empty(outcome.Output);
    }

    [Fact]
    public async Task Help_exits_with_0_and_lists_the_report_options()
    {
        BenchCli.Outcome outcome = await BenchCli.RunAsync("echo", "--help");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("--json", outcome.Output);
        Assert.Contains("--html", outcome.Output);
        Assert.Contains("--progress", outcome.Output);
    }
}
