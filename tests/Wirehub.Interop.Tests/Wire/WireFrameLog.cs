namespace Wirehub.Interop.Tests.Wire;

/// <summary>The frames seen in one direction of a <see cref="WireTap"/>, in order, for tests to wait on.</summary>
internal sealed class WireFrameLog
{
    private readonly Lock _lock = new();
    private readonly List<TappedFrame> _frames = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
