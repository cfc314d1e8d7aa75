namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>What one subscriber received, in order (serial and the publisher's number), and a way to wait for more.</summary>
internal sealed class DeliveryLog
{
    private readonly List<(long Serial, int Number)> _items = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    public void Add(long serial, int number)
    {
        lock (_items)
        {
            _items.Add((serial, number));
            foreach (var waiter in _waiters.Where(w => _items.Count >= w.Count).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public int Count
    {
        get { lock (_items) return _items.Count; }
    }

    public IReadOnlyList<long> Serials
    {
        get { lock (_items) return [.. _items.Select(i => i.Serial)]; }
    }

    public IReadOnlyList<int> Numbers
    {
        get { lock (_items) return [.. _items.Select(i => i.Number)]; }
    }

    /// <summary>Waits until <paramref name="count"/> messages arrived; a timeout only bounds a hung run.</summary>
    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        Task signal;
        lock (_items)
        {
            if (_items.Count >= count) return;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            signal = tcs.Task;
        }
        try
        {
            await signal.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Only {Count} of {count} messages arrived within {timeout}.");
        }
    }
}
