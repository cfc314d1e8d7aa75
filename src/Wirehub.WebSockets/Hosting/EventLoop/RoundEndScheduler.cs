using System.IO.Pipelines;

namespace Wirehub.WebSockets;

/// <summary>
/// The scheduler of every event-loop connection's output: a send that becomes possible on a loop thread waits for the
/// end of that loop's round, so everything the round's handlers wrote to one connection leaves in one system call;
/// on any other thread (a broadcast, a timer) it runs at once, on the caller's thread, with no hand-off.
/// </summary>
internal sealed class RoundEndScheduler : PipeScheduler
{
    public override void Schedule(Action<object?> action, object? state)
    {
        if (EventLoop.Current is { } loop) loop.Defer(action, state);
        else action(state);
    }
}
