using System.Collections.Concurrent;
using Wirehub.Realtime.Client;

namespace Wirehub.Realtime.Tests.Client.Support;

/// <summary>Records a client's state changes and lets a test wait for the n-th arrival in a state.</summary>
internal sealed class StateRecorder
{
    private readonly ConcurrentQueue<RealtimeStateChangedEventArgs> _changes = new();
    private readonly object _gate = new();
    private readonly List<(RealtimeClientState State, int Count, TaskCompletionSource<RealtimeStateChangedEventArgs> Signal)> _waiters = [];

    public StateRecorder(RealtimeClient client) => client.StateChanged += (_, e) => Record(e);

    public IReadOnlyList<RealtimeStateChangedEventArgs> Changes => [.. _changes];

    public IReadOnlyList<RealtimeClientState> States => [.. _changes.Select(c => c.Current)];

    /// <summary>Completes when the client has entered <paramref name="state"/> <paramref name="count"/> times.</summary>
    public async Task<RealtimeStateChangedEventArgs> WaitForAsync(RealtimeClientState state, int count = 1)
    {
        Task<RealtimeStateChangedEventArgs> signal;
        lock (_gate)
        {
            var reached = _changes.Where(c => c.Current == state).Skip(count - 1).FirstOrDefault();
            if (reached is not null) return reached;
            var tcs = new TaskCompletionSource<RealtimeStateChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((state, count, tcs));
            signal = tcs.Task;
        }
        return await signal.WaitAsync(FakeWirehubServer.Patience);
    }

    private void Record(RealtimeStateChangedEventArgs change)
    {
        lock (_gate)
        {
            _changes.Enqueue(change);
            int seen = _changes.Count(c => c.Current == change.Current);
            foreach (var waiter in _waiters.Where(w => w.State == change.Current && w.Count == seen).ToList())
            {
                waiter.Signal.TrySetResult(change);
                _waiters.Remove(waiter);
            }
        }
    }
}
