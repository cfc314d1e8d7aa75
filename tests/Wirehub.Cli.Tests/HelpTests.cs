using Wirehub.Cli.Tests.Support;

namespace Wirehub.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("")]
    [InlineData("serve")]
    [InlineData("connect")]
    [InlineData("publish")]
    [InlineData("echo")]
    [InlineData("conformance-client")]
    [InlineData("bench")]
    [InlineData("bench echo")]
    [InlineData("bench broadcast")]
    [InlineData("bench idle")]
    [InlineData("bench handshakes")]
    public async Task Help_of_every_command_prints_its_usage_and_the_exit_codes(string command)
    {
        var run = await WirehubProcess.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"wirehub {command}".TrimEnd(), run.Stdout);
        Assert.Contains("Usage:", run.Stdout);
        Assert.Contains("Exit codes:", run.Stdout);
        Assert.Contains("1  runtime failure", run.Stdout);
        Assert.Contains("2  usage or configuration error", run.Stdout);
    }

    [Fact]
    public async Task Root_help_lists_every_command()
    {
        var run = await WirehubProcess.RunAsync(["--help"]);

        foreach (var command in new[] { "serve", "connect <url>", "publish <channel> <data>", "echo", "conformance-client <base-url>", "bench" })
            Assert.Contains($"  {command} ", run.Stdout);
    }

    [Fact]
    public async Task Serve_help_gives_each_setting_its_flag_range_default_and_environment_variable()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--help"]);

        string[] settings =
        [
            "--port <N>", "Accepts an integer from 0 to 65535. Default: 8080. Env: WIREHUB_PORT.",
            "--recovery-window <DURATION>", "Accepts a duration from 0s to 1d (like 500ms, 30s, 2m, 1h). Default: 2m. Env: WIREHUB_REALTIME__RECOVERYWINDOW.",
            "--max-message-size <BYTES>", "Default: 64KiB. Env: WIREHUB_REALTIME__MAXMESSAGESIZE.",
            "--broker <memory|redis>", "--config <FILE>", "--cert <FILE>", "--key <FILE>", "--allowed-origin <VALUE>",
        ];
        foreach (var text in settings) Assert.Contains(text, run.Stdout);
    }

    [Fact]
    public async Task No_command_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync([]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Run 'wirehub --help' for usage.", run.Stderr);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error_pointing_at_the_command_help()
    {
        var run = await WirehubProcess.RunAsync(["serve", "--prot", "80"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--prot", run.Stderr);
        Assert.Contains("Run 'wirehub serve --help' for usage.", run.Stderr);
    }

    [Fact]
    public async Task Missing_argument_is_a_usage_error()
    {
        var run = await WirehubProcess.RunAsync(["publish", "room:lobby"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Run 'wirehub publish --help' for usage.", run.Stderr);
    }
}
