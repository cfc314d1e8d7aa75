using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Wirehub.Interop.Tests.ChildPeers;

/// <summary>
/// A peer program running as a child process: JSON commands go to its stdin, and every JSON line it prints on stdout
/// becomes a <see cref="PeerEvent"/> that tests wait for. Disposing kills it (with any children) if still running.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private const int StderrLimit = 16 * 1024;

    private readonly Process _process;
    private readonly string _description;
    private readonly Lock _lock = new();
    private readonly List<PeerEvent> _events = [];
    private readonly List<bool> _consumed = [];
    private readonly StringBuilder _stderr = new();
    private TaskCompletionSource _changed = NewSignal();
    private bool _outputEnded;
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private PeerProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static PeerProcess Start(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Unbuffered output, so events arrive as they happen.
        start.Environment["PYTHONUNBUFFERED"] = "1";
        // Keeps the source tree free of __pycache__ folders.
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {fileName}: is it installed? Run .ci/install-interop.sh.");
        process.StandardInput.AutoFlush = true;
        return new PeerProcess(process, $"{Path.GetFileName(fileName)} {string.Join(' ', arguments.Select(Path.GetFileName))}");
    }

    /// <summary>Writes one command as a JSON line to the peer's stdin.</summary>
    public async Task SendAsync(object command)
    {
        string line = JsonSerializer.Serialize(command);
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the first event not yet taken by another wait that is named <paramref name="name"/> and matches
    /// <paramref name="match"/>, and takes it. Fails with everything the peer printed when none comes in time.
    /// </summary>
    public Task<PeerEvent> WaitForAsync(string name, Func<PeerEvent, bool>? match = null, TimeSpan? timeout = null,
        string? what = null) =>
        WaitForAsync(e => e.Name == name && (match is null || match(e)), what ?? $"a \"{name}\" event", timeout);

    /// <summary>Waits for the first event not yet taken that matches <paramref name="match"/>, and takes it.</summary>
    public async Task<PeerEvent> WaitForAsync(Func<PeerEvent, bool> match, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? InteropTimeouts.Event;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                for (int i = 0; i < _events.Count; i++)
                {
                    if (_consumed[i] || !match(_events[i])) continue;
                    _consumed[i] = true;
                    return _events[i];
                }
                if (_outputEnded) throw Failure($"{_description} exited before printing {what}");
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)).ConfigureAwait(false) != changed)
                throw Failure($"Timed out after {limit.TotalSeconds:0} s waiting for {what} from {_description}");
        }
    }

    private Exception Failure(string message)
    {
        lock (_lock)
        {
            var text = new StringBuilder(message).Append(". Events so far:");
            foreach (var e in _events) text.Append("\n  ").Append(e.Name).Append(' ').Append(e);
            text.Append("\nstderr:\n").Append(_stderr);
            return new TimeoutException(text.ToString());
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0) continue;
                PeerEvent peerEvent;
                try
                {
                    var root = JsonDocument.Parse(line).RootElement;
                    peerEvent = new PeerEvent(root.GetProperty("event").GetString()!, root);
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    peerEvent = new PeerEvent("unparsed", JsonSerializer.SerializeToElement(new { line }));
                }
                Publish(peerEvent);
            }
        }
        finally
        {
            lock (_lock) _outputEnded = true;
            Signal();
        }
    }

    private async Task PumpStderrAsync()
    {
        var buffer = new char[4096];
        int n;
        while ((n = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_lock)
            {
                if (_stderr.Length < StderrLimit) _stderr.Append(buffer, 0, Math.Min(n, StderrLimit - _stderr.Length));
            }
        }
    }

    private void Publish(PeerEvent peerEvent)
    {
        lock (_lock)
        {
            _events.Add(peerEvent);
            _consumed.Add(false);
        }
        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; nothing more can be done from here.
        }
        _process.Dispose();
    }
}
