namespace Wirehub.Interop.Tests.Wire;

/// <summary>The frames seen in one direction of a <see cref="WireTap"/>, in order, for tests to wait on.</summary>
internal sealed class WireFrameLog
{
    private readonly Lock _lock = new();
    private readonly List<TappedFrame> _frames = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the sending side closed (FIN) or reset its TCP connection.</summary>
    public async Task EndedAsync(string what)
    {
        try
        {
            await _ended.Task.WaitAsync(InteropTimeouts.Event).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}: the TCP connection was not closed within {InteropTimeouts.Event.TotalSeconds:0} s.");
        }
    }

    public void MarkEnded() => _ended.TrySetResult();

    public IReadOnlyList<TappedFrame> Snapshot()
    {
        lock (_lock) return [.. _frames];
    }

    public void Add(TappedFrame frame)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _frames.Add(frame);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>The first frame, seen so far or later, that matches; fails listing the frames seen when none comes in time.</summary>
    public async Task<TappedFrame> WaitForAsync(Func<TappedFrame, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + InteropTimeouts.Event;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach (var frame in _frames)
                    if (match(frame)) return frame;
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)).ConfigureAwait(false) != changed)
                throw new TimeoutException($"No {what} crossed the wire. Frames seen:\n  " + string.Join("\n  ", Snapshot()));
        }
    }
}
