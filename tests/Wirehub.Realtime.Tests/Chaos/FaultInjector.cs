using Xunit.Abstractions;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// Applies a client's <see cref="FaultPlan"/> as the publisher progresses. Each fault hits a live session: it waits
/// until the client has noticed the previous fault and connected again.
/// </summary>
internal sealed class FaultInjector(ChaosServer server, PublishProgress progress, ITestOutputHelper output)
{
    /// <summary>Messages published while a subscriber's link is stalled: far more than its send queue and buffers hold.</summary>
    public const int StallLength = 350;

    /// <summary>Messages published while a subscriber's server-to-client direction is cut.</summary>
    public const int CutLength = 100;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public async Task RunAsync(ChaosTarget target, IReadOnlyList<ScheduledFault> plan, bool publishes = false)
    {
        foreach (var fault in plan)
        {
            await WithinPatience(progress.WaitForAsync(fault.At), () => $"The publisher did not reach {fault.At}.");
            while (true)
            {
                var link = await ConnectedLinkAsync(target);
                int disconnects = target.Disconnects();
                lock (output) output.WriteLine($"{progress.Acknowledged,5}: {fault.Kind} on {target.Name}");
                bool applied = await ApplyAsync(target, link, fault.Kind, publishes);
                // Until the client has seen the drop, its state still says connected: the next fault waits for a new connection.
                await WithinPatience(UntilAsync(() => target.Disconnects() > disconnects), () => $"{target.Name} did not notice {fault.Kind}.");
                await WithinPatience(link.Ended, () => $"{target.Name}'s link did not end after {fault.Kind}.");
                if (applied) break;
            }
        }
    }

    /// <summary>Breaks the link; false when the connection was already gone (the fault is then tried on the next one).</summary>
    private async Task<bool> ApplyAsync(ChaosTarget target, ProxyLink link, ChaosFault kind, bool publishes)
    {
        // A fault may start later than planned (the client was still reconnecting): its length counts from now.
        int start = progress.Acknowledged;
        switch (kind)
        {
            case ChaosFault.Reset:
                link.Reset();
                return true;
            case ChaosFault.ServerDrop:
                return server.Connections.Abort(link.ServerSidePort);
            case ChaosFault.ClientAbort:
                await (target.AbortOwnSocket ?? throw new InvalidOperationException($"{target.Name} cannot abort its own socket."))();
                return true;
            case ChaosFault.Stall:
                link.Stall();
                await WithinPatience(progress.WaitForAsync(start + StallLength), () => $"The publisher did not progress during the stall of {target.Name}.");
                link.Resume();
                return true;
            case ChaosFault.CutServerToClient:
                link.CutServerToClient();
                // A publisher waits for its acks, which the cut swallows: progress stops until the reset.
                var cut = publishes ? link.FirstDroppedFromServer : progress.WaitForAsync(start + CutLength);
                await WithinPatience(cut, () => $"Nothing was cut on the way to {target.Name}.");
                link.Reset();
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static async Task<ProxyLink> ConnectedLinkAsync(ChaosTarget target)
    {
        ProxyLink? link = null;
        await WithinPatience(UntilAsync(() => target.IsConnected() && (link = target.Proxy.Current) is not null),
            () => $"{target.Name} did not reconnect.");
        return link!;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        while (!condition()) await Task.Delay(5);
    }

    /// <summary>Waits on a condition; the bound only stops a hung run, with a message saying what never happened.</summary>
    private static async Task WithinPatience(Task task, Func<string> failure)
    {
        try
        {
            await task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(failure());
        }
    }
}
