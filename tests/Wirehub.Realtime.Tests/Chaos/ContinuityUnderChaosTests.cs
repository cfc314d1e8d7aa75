using Wirehub.Realtime.Channels;
using Wirehub.Realtime.Client;
using Xunit.Abstractions;

namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// PROTOCOL.md "message": every subscriber sees a channel's messages in serial order, each exactly once, whatever
/// happens to its connections in between, as long as it recovers within the recovery window and the history holds
/// what it missed.
/// </summary>
public sealed class ContinuityUnderChaosTests(ITestOutputHelper output)
{
    private const int Seed = 6455;
    private const string Channel = "feed:chaos";
    private const int Messages = 2400;
    private const int FirstFault = 50;
    private const int FaultsPerClient = 5;
    private const int SlotLength = 420;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static readonly ChaosFault[] SubscriberFaults =
        [ChaosFault.Reset, ChaosFault.ServerDrop, ChaosFault.Stall, ChaosFault.CutServerToClient];

    private static readonly ChaosFault[] WireSubscriberFaults = [.. SubscriberFaults, ChaosFault.ClientAbort];

    // A stalled publisher would stop the progress its stall waits for.
    private static readonly ChaosFault[] PublisherFaults = [ChaosFault.Reset, ChaosFault.ServerDrop, ChaosFault.CutServerToClient];

    [Fact]
    public async Task Every_subscriber_holds_every_message_once_in_serial_order_through_resets_drops_cuts_and_slow_consumer_closes()
    {
        output.WriteLine($"Chaos seed: {Seed}");
        var random = new Random(Seed);
        await using var server = await ChaosServer.StartAsync(o =>
        {
            // Small enough that a stall overflows it quickly; history long enough to replay anything missed.
            o.SendQueueLimit = 16 * 1024;
            o.PublishRate = 1_000_000;
            o.RequestRate = 1_000_000;
            o.Namespaces["feed"] = new NamespaceOptions { HistorySize = Messages };
        });
        var proxies = new List<ChaosProxy>();
        var subscribers = new List<SdkSubscriber>();
        try
        {
            await RunAsync(server, random, proxies, subscribers);
        }
        finally
        {
            foreach (var subscriber in subscribers) await subscriber.DisposeAsync();
            foreach (var proxy in proxies) await proxy.DisposeAsync();
        }
    }

    private async Task RunAsync(ChaosServer server, Random random, List<ChaosProxy> proxies, List<SdkSubscriber> subscribers)
    {
        ChaosProxy NewProxy()
        {
            var proxy = new ChaosProxy(server.Port);
            proxies.Add(proxy);
            return proxy;
        }

        var targets = new List<(ChaosTarget Target, ChaosFault[] Kinds)>();
        for (int i = 0; i < 4; i++)
        {
            var proxy = NewProxy();
            var subscriber = await SdkSubscriber.StartAsync($"sdk-{i}", proxy.Url(), Channel);
            subscribers.Add(subscriber);
            targets.Add((new ChaosTarget(subscriber.Name, proxy, () => subscriber.IsConnected, () => subscriber.CloseCodes.Count), SubscriberFaults));
        }
        var wireProxy = NewProxy();
        await using var wire = await RecoveringWireSubscriber.StartAsync(wireProxy.Url(), Channel);
        targets.Add((new ChaosTarget("wire", wireProxy, () => wire.IsLive, () => wire.CloseCodes.Count, wire.AbortAsync), WireSubscriberFaults));
        var publisherProxy = NewProxy();
        await using var publisher = SdkSubscriber.CreateClient(publisherProxy.Url());
        await publisher.ConnectAsync();
        int publisherDisconnects = 0;
        publisher.StateChanged += (_, e) =>
        {
            if (e.Current == RealtimeClientState.Reconnecting) Interlocked.Increment(ref publisherDisconnects);
        };
        var publisherTarget = new ChaosTarget("publisher", publisherProxy, () => publisher.State == RealtimeClientState.Connected,
            () => Volatile.Read(ref publisherDisconnects));

        var progress = new PublishProgress();
        var injector = new FaultInjector(server, progress, output);
        var plans = targets.Select(t => (t.Target, Plan: FaultPlan.Create(random, t.Kinds, FirstFault, FaultsPerClient, SlotLength, 50))).ToList();
        var publisherPlan = FaultPlan.Create(random, PublisherFaults, FirstFault, FaultsPerClient, SlotLength, 50);
        var injecting = plans.Select(p => injector.RunAsync(p.Target, p.Plan))
            .Append(injector.RunAsync(publisherTarget, publisherPlan, publishes: true)).ToList();

        var acked = new List<long>();
        var feed = publisher.Channel(Channel);
        for (int n = 1; n <= Messages; n++)
        {
            var ack = await feed.PublishAsync(NumberedMessage.Data(n), $"m-{n}");
            acked.Add(ack.Serial);
            progress.Advance(n);
        }
        await Task.WhenAll(injecting).WaitAsync(Patience);
        foreach (var subscriber in subscribers) await subscriber.Log.WaitForCountAsync(Messages, Patience);
        await wire.Log.WaitForCountAsync(Messages, Patience);
        foreach (var subscriber in subscribers) output.WriteLine($"{subscriber.Name} lost connections with: {Describe(subscriber.CloseCodes)}");
        output.WriteLine($"wire lost connections with: {Describe(wire.CloseCodes)}");

        var expectedSerials = Enumerable.Range(1, Messages).Select(n => (long)n).ToArray();
        Assert.Equal(expectedSerials, acked);
        foreach (var subscriber in subscribers)
        {
            Assert.Equal(expectedSerials, subscriber.Log.Serials);
            Assert.Equal(Enumerable.Range(1, Messages), subscriber.Log.Numbers);
            Assert.Equal(0, subscriber.ContinuityLosses);
            // Every stall ended with the server closing the connection as a slow consumer.
            var plan = plans.Single(p => p.Target.Name == subscriber.Name).Plan;
            Assert.InRange(subscriber.CloseCodes.Count(c => c == 1008), plan.Count(f => f.Kind == ChaosFault.Stall), int.MaxValue);
        }
        Assert.Empty(wire.Violations);
        Assert.Equal(expectedSerials, wire.Log.Serials);
        Assert.Equal(Enumerable.Range(1, Messages), wire.Log.Numbers);
        var wirePlan = plans.Single(p => p.Target.Name == "wire").Plan;
        Assert.InRange(wire.CloseCodes.Count(c => c == 1008), wirePlan.Count(f => f.Kind == ChaosFault.Stall), int.MaxValue);
    }

    private static string Describe(IEnumerable<ushort?> closeCodes) =>
        string.Join(", ", closeCodes.GroupBy(c => c?.ToString() ?? "none").Select(g => $"{g.Key} x{g.Count()}"));
}
