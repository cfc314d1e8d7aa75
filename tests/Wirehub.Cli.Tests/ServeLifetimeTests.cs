using System.Runtime.InteropServices;
using Wirehub.Cli.Tests.Support;

namespace Wirehub.Cli.Tests;

/// <summary>How <c>wirehub serve</c> ends: a signal stops it gracefully with exit code 0.</summary>
public sealed class ServeLifetimeTests
{
    [Theory]
    [InlineData(PosixSignal.SIGTERM)]
    [InlineData(PosixSignal.SIGINT)]
    public async Task Signal_stops_the_server_with_exit_code_0(PosixSignal signal)
    {
        await using var server = await ServeProcess.StartLocalAsync("--drain-window", "0s");

        server.Process.Signal(signal);
        int exitCode = await server.Process.WaitForExitAsync();

        Assert.True(exitCode == 0, server.Process.Describe());
    }

    [Fact]
    public async Task Listening_line_names_the_endpoints()
    {
        await using var server = await ServeProcess.StartLocalAsync();

        string line = await server.Process.WaitForStdoutAsync(l => l.StartsWith("wirehub serve listening on ", StringComparison.Ordinal), "the listening line");

        string ws = server.WebSocketUrl("");
        Assert.Equal($"wirehub serve listening on {server.HttpUrl} (realtime {ws}/connection, echo {ws}/echo, publish POST {server.HttpUrl}/api/publish)", line);
    }
}
