namespace Wirehub.Realtime.Tests.Client.Support;

/// <summary>Collects what a handler or event receives and lets a test wait until enough has arrived.</summary>
internal sealed class Inbox<T>
{
    private readonly List<T> _items = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => _items.Count >= w.Count).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public IReadOnlyList<T> Items
    {
        get { lock (_items) return [.. _items]; }
    }

    public async Task<IReadOnlyList<T>> WaitForCountAsync(int count)
    {
        Task signal;
        lock (_items)
        {
            if (_items.Count >= count) return [.. _items];
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            signal = tcs.Task;
        }
        await signal.WaitAsync(FakeWirehubServer.Patience);
        return Items;
    }
}
