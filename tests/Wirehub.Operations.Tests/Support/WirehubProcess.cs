using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wirehub.Operations.Tests.Support;

/// <summary>
/// <c>wirehub serve</c> running as a child process on a free loopback port, logging JSON lines, with its output kept
/// for the test to read. Disposing kills it if it is still running.
/// </summary>
internal sealed partial class WirehubProcess : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WirehubProcess(Process process) => _process = process;

    public int Port { get; private set; }

    public int Id => _process.Id;

    public Uri HttpUri(string path) => new($"http://127.0.0.1:{Port}{path}");

    public Uri WebSocketUri(string path) => new($"ws://127.0.0.1:{Port}{path}");

    /// <summary>Every line written to stdout and stderr so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>The stdout lines that are JSON log events.</summary>
    public IEnumerable<JsonElement> LogEvents()
    {
        foreach (var line in _output)
        {
            if (!line.StartsWith('{')) continue;
            JsonElement element;
            try { element = JsonDocument.Parse(line).RootElement; }
            catch (JsonException) { continue; }
            yield return element;
        }
    }

    /// <summary>Starts <c>wirehub serve</c> with JSON logs on 127.0.0.1 and a free port, plus <paramref name="arguments"/>.</summary>
    public static async Task<WirehubProcess> StartAsync(IEnumerable<string>? arguments = null, IDictionary<string, string>? environment = null)
    {
        string directory = AppContext.BaseDirectory;
        string apphost = Path.Combine(directory, "wirehub");
        var start = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(directory, "wirehub.dll") } };
        foreach (var argument in (string[])["serve", "--host", "127.0.0.1", "--port", "0", "--log-format", "json", "--api-key", "operations-test"])
            start.ArgumentList.Add(argument);
        foreach (var argument in arguments ?? []) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetTempPath();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var wirehub = new WirehubProcess(process);
        process.OutputDataReceived += (_, e) => wirehub.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => wirehub.OnLine(e.Data);
        process.Exited += (_, _) => wirehub._port.TrySetException(new InvalidOperationException(
            $"wirehub serve exited with {process.ExitCode} before listening:\n{string.Join('\n', wirehub._output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            wirehub.Port = await wirehub._port.Task.WaitAsync(Patience);
        }
        catch
        {
            await wirehub.DisposeAsync();
            throw;
        }
        return wirehub;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        if (line.Contains("listening on", StringComparison.OrdinalIgnoreCase) && ListeningPort().Match(line) is { Success: true } match)
            _port.TrySetResult(int.Parse(match.Groups[1].Value));
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping the node does.</summary>
    public void Terminate() => Signal.Terminate(_process.Id);

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        await _process.WaitForExitAsync().WaitAsync(within);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningPort();
}
