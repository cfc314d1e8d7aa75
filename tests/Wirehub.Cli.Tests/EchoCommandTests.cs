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

    [Fact]
    public async Task Echo_at_its_open_files_limit_refuses_new_connections_and_keeps_serving_the_open_ones()
    {
        int port = FreePort.Find();
        await using var echo = WirehubProcess.Start(["echo", "--port", port.ToString()]);
        await echo.WaitForStdoutAsync(line => line.Contains("listening on"), "the listening line");
        var url = new Uri($"ws://127.0.0.1:{port}/");
        using (var warmup = await ConnectAsync(url))
        {
            await EchoAsync(warmup, "warm up");
            await warmup.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        using var first = await ConnectAsync(url);
        Assert.Equal("served", await EchoAsync(first, "served"));
        // Room for a few more connections than the server holds now (it keeps 32 descriptors for itself), far fewer
        // than the clients below.
        OpenFilesLimit.Set(echo.Id, (ulong)OpenFilesLimit.CountOpen(echo.Id) + 32 + 10);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            try { return await ConnectAsync(url); }
            catch (System.Net.WebSockets.WebSocketException) { return null; }
        }));
        var opened = attempts.Where(client => client is not null).Select(client => client!).ToList();

        Assert.InRange(opened.Count, 1, 39);
        Assert.False(echo.HasExited, echo.Describe());
        Assert.Equal("still served", await EchoAsync(first, "still served"));
        Assert.Equal("also served", await EchoAsync(opened[^1], "also served"));
        foreach (var client in opened)
        {
            await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            client.Dispose();
        }
        // Descriptors freed: new connections are accepted again.
        using var later = await ConnectEventuallyAsync(url);
        Assert.Equal("served again", await EchoAsync(later, "served again"));
    }

    private static async Task<System.Net.WebSockets.ClientWebSocket> ConnectAsync(Uri url)
    {
        var client = new System.Net.WebSockets.ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.ConnectAsync(url, timeout.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<System.Net.WebSockets.ClientWebSocket> ConnectEventuallyAsync(Uri url)
    {
        for (int attempt = 0; ; attempt++)
        {
            try { return await ConnectAsync(url); }
            catch (System.Net.WebSockets.WebSocketException) when (attempt < 50) { await Task.Delay(100); }
        }
    }

    private static async Task<string> EchoAsync(System.Net.WebSockets.ClientWebSocket client, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.SendAsync(System.Text.Encoding.UTF8.GetBytes(text), System.Net.WebSockets.WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[256];
        var result = await client.ReceiveAsync(buffer, timeout.Token);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
