using System.Threading.Tasks.Sources;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// Wakes one waiter, reusably: waiting and signalling allocate nothing, so an emulated transport can be woken for every
/// queued frame. Not thread-safe on its own: callers hold the owning transport's lock around <see cref="Set"/> and
/// <see cref="WaitAsync"/>. A signal set while nobody waits is remembered for the next wait.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    // Continuations run on the thread pool, never inline under the caller's lock.
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _set;
    private bool _waiting;

    public void Set()
    {
        if (_waiting)
        {
            _waiting = false;
            _core.SetResult(true);
        }
        else
        {
            _set = true;
        }
    }

    public ValueTask WaitAsync()
    {
        if (_set)
        {
            _set = false;
            return default;
        }
        _core.Reset();
        _waiting = true;
        return new ValueTask(this, _core.Version);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _core.OnCompleted(continuation, state, token, flags);
}
