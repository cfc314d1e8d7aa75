using Wirehub.Cli.Tests.Support;

namespace Wirehub.Cli.Tests;

/// <summary><c>wirehub echo</c>, the bare echo server.</summary>
public sealed class EchoCommandTests
{
    [Fact]
    public async Task Echo_on_a_port_in_use_is_a_runtime_failure()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        string port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString();

        var run = await WirehubProcess.RunAsync(["echo", "--port", port]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"wirehub echo: could not listen on 127.0.0.1 port {port}", run.Stderr);
    }

    [Fact]
    public async Task Echo_sends_messages_back()
    {
        int port = FreePort.Find();
        await using var echo = WirehubProcess.Start(["echo", "--port", port.ToString()]);
        await echo.WaitForStdoutAsync(line => line.Contains("listening on"), "the listening line");

        var run = await WirehubProcess.RunAsync(["connect", $"ws://127.0.0.1:{port}/"], input: ["ping"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("ping", run.Stdout);
    }
}
