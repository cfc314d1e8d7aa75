namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>How many messages the publisher has had acknowledged; faults are scheduled against it rather than the clock.</summary>
internal sealed class PublishProgress
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _acknowledged;

    public int Acknowledged
    {
        get { lock (_gate) return _acknowledged; }
    }

    public void Advance(int acknowledged)
    {
        lock (_gate)
        {
            _acknowledged = acknowledged;
            foreach (var waiter in _waiters.Where(w => w.Count <= acknowledged).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public Task WaitForAsync(int count)
    {
        lock (_gate)
        {
            if (_acknowledged >= count) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }
}
