using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wirehub.Browser.Tests;

/// <summary>
/// The built <c>wirehub serve</c> running as a child process on a fixed loopback port, so it can be killed and
/// started again on the same address while browsers stay connected to it.
/// </summary>
internal sealed class WirehubServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("wirehub-browser-").FullName;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private Process? _process;

    private WirehubServerProcess(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The page's origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Starts a server on a free port and waits until it serves.</summary>
    public static async Task<WirehubServerProcess> StartAsync()
    {
        var server = new WirehubServerProcess(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Kills the server at once, as a crash would: connections drop without a close frame.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Starts the server on the same port and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null) throw new InvalidOperationException("The server is running; kill it first.");
        // The executable is copied next to the tests by the project reference; started through the same dotnet host.
        string dll = Path.Combine(AppContext.BaseDirectory, "wirehub.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _workingDirectory, // no appsettings.json from elsewhere
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "serve", "--host", "127.0.0.1", "--port", Port.ToString(), "--api-key", "browser-tests" })
            start.ArgumentList.Add(argument);
        foreach (var variable in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("WIREHUB_", StringComparison.Ordinal)))
            start.Environment.Remove(variable);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilServingAsync(process);
    }

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock) return _output.ToString();
        }
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_outputLock)
        {
            if (_output.Length < 64 * 1024) _output.AppendLine(line);
        }
    }

    private async Task WaitUntilServingAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"wirehub serve exited with {process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/wirehub.js");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy machine
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"wirehub serve did not serve /wirehub.js on port {Port} within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_workingDirectory, recursive: true); } catch (IOException) { }
    }
}
