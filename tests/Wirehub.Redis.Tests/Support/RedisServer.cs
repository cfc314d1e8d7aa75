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
        // A free port may be taken by another process before redis-server binds it: then try another.
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort(), directory, appendOnly);
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await server.KillAsync();
            }
        }
    }

    /// <summary>
    /// Starts the server (again, after <see cref="KillAsync"/>) on the same port with the same directory; unless told
    /// otherwise, returns once it has loaded its data and answers commands.
    /// </summary>
    public async Task StartAgainAsync(bool untilLoaded = true)
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
        await WaitUntilReadyAsync(untilLoaded);
    }

    /// <summary>Kills the server with SIGKILL, as a crash would: no shutdown save, connections reset.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Runs one command through a plain RESP connection and returns its reply: the first line, or the text of a bulk
    /// string reply (<c>$-1</c> for none).
    /// </summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        var request = new StringBuilder($"*{arguments.Length}\r\n");
        foreach (string argument in arguments) request.Append($"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var reply = new List<byte>();
        var buffer = new byte[4096];
        int firstLineEnd = -1;
        while (true)
        {
            if (firstLineEnd < 0)
            {
                for (int i = 1; i < reply.Count; i++)
                    if (reply[i - 1] == '\r' && reply[i] == '\n') { firstLineEnd = i - 1; break; }
            }
            if (firstLineEnd >= 0)
            {
                string first = Encoding.UTF8.GetString(reply.GetRange(0, firstLineEnd).ToArray());
                if (!first.StartsWith('$') || first == "$-1") return first;
                int length = int.Parse(first[1..], System.Globalization.CultureInfo.InvariantCulture);
                if (reply.Count >= firstLineEnd + 2 + length) return Encoding.UTF8.GetString(reply.GetRange(firstLineEnd + 2, length).ToArray());
            }
            int read = await stream.ReadAsync(buffer);
            if (read == 0) return Encoding.UTF8.GetString(reply.ToArray());
            reply.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private async Task WaitUntilReadyAsync(bool untilLoaded)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                // PING is refused while an AOF is loading, so +PONG means ready for commands.
                string reply = await CommandAsync("PING");
                if (reply == "+PONG" || (!untilLoaded && reply.StartsWith("-LOADING", StringComparison.Ordinal))) return;
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
