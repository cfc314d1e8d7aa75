using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Wirehub.Redis.Tests.Support;

/// <summary>
/// nginx running the configuration printed in docs/SCALING.md, unchanged but for the upstream addresses (the given
/// nodes) and the listening port (a free loopback one), in a temp directory of its own, in the foreground.
/// </summary>
internal sealed partial class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxProxy(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }
    public Uri ConnectionUri => new($"ws://127.0.0.1:{Port}/connection");

    /// <summary>The nginx block of docs/SCALING.md, which the build copies next to the tests.</summary>
    public static string DocumentedConfiguration()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "SCALING.md");
        var block = NginxBlock().Match(File.ReadAllText(path));
        if (!block.Success) throw new InvalidOperationException("docs/SCALING.md has no ```nginx block.");
        return block.Groups[1].Value;
    }

    public static async Task<NginxProxy> StartAsync(IEnumerable<int> nodePorts)
    {
        string documented = DocumentedConfiguration();
        int port = RedisServer.FreePort();
        var servers = UpstreamServer().Matches(documented);
        if (servers.Count == 0) throw new InvalidOperationException("The documented configuration has no upstream server line.");
        string options = servers[0].Groups[1].Value;
        // The test's nodes replace the documented ones: the first line becomes theirs, the others go.
        string configuration = servers.Count > 1 ? UpstreamServer().Replace(documented, "", servers.Count - 1, servers[1].Index) : documented;
        configuration = UpstreamServer().Replace(configuration, string.Concat(nodePorts.Select(p => $"    server 127.0.0.1:{p}{options};\n")), 1);
        configuration = Listen().Replace(configuration, $"listen 127.0.0.1:{port};");

        string directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "wirehub-nginx-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
            {{configuration}}
            }
            """);
        var start = new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;"])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start: run .ci/install-redis.sh.");
        var proxy = new NginxProxy(process, directory, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return proxy;
            }
            catch (SocketException) when (!process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                string errors = await process.StandardError.ReadToEndAsync();
                await proxy.DisposeAsync();
                throw new InvalidOperationException("nginx did not start listening: " + errors);
            }
        }
    }

    public async Task<WireClient> OpenAsync() => await WireClient.OpenAsync(ConnectionUri);

    public async Task<(WireClient Client, System.Text.Json.JsonElement Connected)> ConnectAsync(string connect = "{\"type\":\"connect\",\"id\":1}")
    {
        var client = await OpenAsync();
        return (client, await client.RequestAsync(connect, "connected"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex("```nginx\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex NginxBlock();

    [GeneratedRegex(@"[ \t]*server \d+\.\d+\.\d+\.\d+:\d+([^;]*);\n")]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"listen \d+;")]
    private static partial Regex Listen();
}
