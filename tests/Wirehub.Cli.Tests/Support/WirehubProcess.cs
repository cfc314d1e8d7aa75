using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Wirehub.Cli.Tests.Support;

/// <summary>
/// The built <c>wirehub</c> running as a child process, with its standard input writable and its standard output and
/// error collected line by line. Its environment holds no WIREHUB_* variable unless the test gives one, and it runs in
/// an empty directory unless the test names one, so nothing from the machine leaks into the settings under test.
/// </summary>
internal sealed partial class WirehubProcess : IAsyncDisposable
{
    private static readonly Lazy<string> EmptyDirectory = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"wirehub-cli-tests-{Environment.ProcessId}", "empty")).FullName);

    private readonly Process _process;
    private readonly string _description;
    private readonly Task _pumps;

    private WirehubProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _pumps = Task.WhenAll(Pump(process.StandardOutput, Stdout), Pump(process.StandardError, Stderr));
    }

    /// <summary>wirehub.dll, copied next to the tests by the project reference to src/Wirehub.</summary>
    public static string EntryAssembly { get; } = Path.Combine(AppContext.BaseDirectory, "wirehub.dll");

    public OutputLines Stdout { get; } = new();

    public OutputLines Stderr { get; } = new();

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>wirehub <paramref name="arguments"/></c>. Standard input is closed at once unless
    /// <paramref name="keepInputOpen"/>, so a command reading it sees its end.
    /// </summary>
    public static WirehubProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, bool keepInputOpen = false)
    {
        if (!File.Exists(EntryAssembly))
            throw new InvalidOperationException($"{EntryAssembly} is missing: build tests/Wirehub.Cli.Tests, which builds src/Wirehub next to it.");
        // The dotnet that runs the tests (dotnet test sets DOTNET_HOST_PATH) runs wirehub too.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory ?? EmptyDirectory.Value,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(EntryAssembly);
        var list = arguments.ToList();
        foreach (var argument in list) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WIREHUB_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.AutoFlush = true;
        if (!keepInputOpen) process.StandardInput.Close();
        return new WirehubProcess(process, $"wirehub {string.Join(' ', list)}");
    }

    /// <summary>Runs <c>wirehub <paramref name="arguments"/></c> to its end, with <paramref name="input"/> as its standard input.</summary>
    public static async Task<CompletedRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, IEnumerable<string>? input = null)
    {
        await using var process = Start(arguments, environment, workingDirectory, keepInputOpen: input is not null);
        if (input is not null)
        {
            foreach (var line in input) await process.WriteLineAsync(line);
            process.CloseInput();
        }
        int exitCode = await process.WaitForExitAsync();
        return new CompletedRun(exitCode, process.Stdout.Text, process.Stderr.Text);
    }

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the exit and the last of its output; fails with the output when it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(CliTimeouts.Exit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _pumps.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_description} did not exit within {CliTimeouts.Exit.TotalSeconds:0} s.\n{Describe()}");
        }
        return _process.ExitCode;
    }

    public Task<string> WaitForStdoutAsync(Func<string, bool> match, string what) => Stdout.WaitForAsync(match, what, Describe);

    public Task<string> WaitForStderrAsync(Func<string, bool> match, string what) => Stderr.WaitForAsync(match, what, Describe);

    /// <summary>Sends a POSIX signal (SIGINT, SIGTERM) to the process, as Ctrl+C or a service manager would.</summary>
    public void Signal(PosixSignal signal)
    {
        int number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Only SIGINT and SIGTERM are sent."),
        };
        if (Kill(_process.Id, number) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {number}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    public string Describe() => $"{_description}\nstdout:\n{Stdout.Text}\nstderr:\n{Stderr.Text}";

    private static async Task Pump(StreamReader reader, OutputLines lines)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line) lines.Add(line);
        }
        finally
        {
            lines.End();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _pumps.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; nothing more can be done from here.
        }
        _process.Dispose();
    }
}
