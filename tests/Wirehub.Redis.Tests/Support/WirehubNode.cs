using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Wirehub.Redis.Tests.Support;

/// <summary>
/// One Wirehub node as a separate process: <c>wirehub serve --broker redis</c> on a free loopback port, in an empty
/// directory, with no WIREHUB_* variable from the machine.
/// </summary>
internal sealed partial class WirehubNode : IAsyncDisposable
{
    public const string ApiKey = "test-key";
    private static readonly string EntryAssembly = Path.Combine(AppContext.BaseDirectory, "wirehub.dll");
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WirehubNode(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The port the node listens on (chosen by the system: no other process can take it in between).</summary>
    public int Port { get; private set; }
    public Uri ConnectionUri => new($"ws://127.0.0.1:{Port}/connection");
    public Uri HttpUri(string path) => new($"http://127.0.0.1:{Port}{path}");
    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node on <paramref name="redisConfiguration"/> with <paramref name="extraArguments"/> for serve.</summary>
    public static Task<WirehubNode> StartAsync(string redisConfiguration, params string[] extraArguments) =>
        StartAsync(["--broker", "redis", "--redis", redisConfiguration, .. extraArguments]);

    /// <summary>
    /// Starts a node configured by <paramref name="environment"/> (WIREHUB_* variables) and an appsettings.json holding
    /// <paramref name="appSettings"/>, with no broker flags.
    /// </summary>
    public static Task<WirehubNode> StartConfiguredAsync(IReadOnlyDictionary<string, string>? environment, string? appSettings = null) =>
        StartAsync([], environment, appSettings);

    private static async Task<WirehubNode> StartAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null, string? appSettings = null)
    {
        if (!File.Exists(EntryAssembly))
            throw new InvalidOperationException($"{EntryAssembly} is missing: build tests/Wirehub.Redis.Tests, which builds src/Wirehub next to it.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "wirehub-redis-node-" + Guid.NewGuid().ToString("N")[..8])).FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WIREHUB_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        if (appSettings is not null) File.WriteAllText(Path.Combine(start.WorkingDirectory, "appsettings.json"), appSettings);
        foreach (string argument in (string[])[EntryAssembly, "serve", "--host", "127.0.0.1", "--port", "0",
            "--api-key", ApiKey, .. arguments])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("wirehub did not start.");
        var node = new WirehubNode(process);
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(node._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != node._listening.Task)
        {
            await node.DisposeAsync();
            throw new InvalidOperationException($"wirehub serve did not start listening:\n{node.Output}");
        }
        return node;
    }

    public string Output => string.Join('\n', _output);

    private void OnLine(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        var listening = ListeningLine().Match(line);
        if (!listening.Success) return;
        Port = int.Parse(listening.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        _listening.TrySetResult();
    }

    /// <summary>Kills the node with SIGKILL, as a crash would: its connections are reset and nothing is cleaned up.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async Task<WireClient> OpenAsync() => await WireClient.OpenAsync(ConnectionUri);

    /// <summary>Opens a connection and sends connect; returns the client and the <c>connected</c> reply.</summary>
    public async Task<(WireClient Client, System.Text.Json.JsonElement Connected)> ConnectAsync(string connect = "{\"type\":\"connect\",\"id\":1}")
    {
        var client = await OpenAsync();
        var connected = await client.RequestAsync(connect, "connected");
        return (client, connected);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        string directory = _process.StartInfo.WorkingDirectory;
        _process.Dispose();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"wirehub serve listening on http://127\.0\.0\.1:(\d+)")]
    private static partial System.Text.RegularExpressions.Regex ListeningLine();
}
