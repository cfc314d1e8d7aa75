namespace Wirehub.Cli.Tests.Support;

/// <summary>The lines a process printed on one stream, as they arrive; tests wait for the one they expect.</summary>
internal sealed class OutputLines
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _changed = NewSignal();
    private bool _ended;

    public void Add(string line)
    {
        lock (_lock) _lines.Add(line);
        Signal();
    }

    public void End()
    {
        lock (_lock) _ended = true;
        Signal();
    }

    /// <summary>Everything printed so far, one line per line.</summary>
    public string Text
    {
        get
        {
            lock (_lock) return string.Join('\n', _lines);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock) return _lines.ToList();
        }
    }

    /// <summary>The first line matching <paramref name="match"/>; fails when the stream ends or time runs out first.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, string what, Func<string> context, TimeSpan? timeout = null)
    {
        var limit = timeout ?? CliTimeouts.Output;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach (var line in _lines)
                    if (match(line)) return line;
                if (_ended) throw new InvalidOperationException($"The output ended without {what}.\n{context()}");
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
                throw new TimeoutException($"No {what} within {limit.TotalSeconds:0} s.\n{context()}");
        }
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
}
