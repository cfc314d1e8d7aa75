using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wirehub.Redis.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> of its own: a free loopback port, a temp directory, no daemon. Without persistence unless
/// asked for AOF, which then syncs every write (<c>appendfsync always</c>), so what Redis acknowledged survives a kill.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly bool _appendOnly;
    private Process? _process;

    private RedisServer(int port, string directory, bool appendOnly)
    {
        Port = port;
        Directory = directory;
        _appendOnly = appendOnly;
    }

    public int Port { get; }
    public string Directory { get; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(bool appendOnly = false)
    {
        string directory = Path.Combine(Path.GetTempPath(), "wirehub-redis-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new RedisServer(FreePort(), directory, appendOnly);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="KillAsync"/>) on the same port with the same directory.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", Directory, "--save", "", "--daemonize", "no", "--protected-mode", "no",
            "--appendonly", _appendOnly ? "yes" : "no", "--appendfsync", "always", "--enable-debug-command", "local"])
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start: run .ci/install-redis.sh.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync();
    }

    /// <summary>Kills the server with SIGKILL, as a crash would: no shutdown save, connections reset.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Runs one command through a plain RESP connection and returns the reply's first line.</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        var request = new StringBuilder($"*{arguments.Length}\r\n");
        foreach (string argument in arguments) request.Append($"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var reply = new StringBuilder();
        var buffer = new byte[4096];
        while (!reply.ToString().Contains("\r\n", StringComparison.Ordinal))
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return reply.ToString().Split("\r\n")[0];
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                // PING is refused while an AOF is loading, so +PONG means ready for commands.
                if (await CommandAsync("PING") == "+PONG") return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
            if (_process!.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}.");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("redis-server did not answer PING within 20 s.");
            await Task.Delay(20);
        }
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
