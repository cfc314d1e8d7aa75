using System.Diagnostics;
using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Diagnostics;

/// <summary>
/// The hub's view of its broker, timing publish and history for <c>broker.duration</c>. A call the broker completes
/// synchronously stays synchronous (no extra state machine); failures are timed too.
/// </summary>
internal sealed class MeteredBroker(IBroker inner) : IBroker
{
    public IBroker Inner { get; } = inner;

    public void SetEventHandler(IBrokerEventHandler handler) => Inner.SetEventHandler(handler);

    public ValueTask<PublishResult> PublishAsync(string channel, ReadOnlyMemory<byte> data, string? messageId,
        PublisherIdentity? publisher, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        ValueTask<PublishResult> pending;
        try
        {
            pending = Inner.PublishAsync(channel, data, messageId, publisher, cancellationToken);
        }
        catch
        {
            RealtimeMetrics.PublishTook(start);
            throw;
        }
        if (!pending.IsCompleted) return AwaitPublishAsync(pending, start);
        RealtimeMetrics.PublishTook(start);
        return pending;
    }

    public ValueTask SubscribeAsync(string channel, CancellationToken cancellationToken = default) =>
        Inner.SubscribeAsync(channel, cancellationToken);

    public ValueTask UnsubscribeAsync(string channel, CancellationToken cancellationToken = default) =>
        Inner.UnsubscribeAsync(channel, cancellationToken);

    public ValueTask<HistoryResult> HistoryAsync(string channel, HistoryQuery query, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        ValueTask<HistoryResult> pending;
        try
        {
            pending = Inner.HistoryAsync(channel, query, cancellationToken);
        }
        catch
        {
            RealtimeMetrics.HistoryTook(start);
            throw;
        }
        if (!pending.IsCompleted) return AwaitHistoryAsync(pending, start);
        RealtimeMetrics.HistoryTook(start);
        return pending;
    }

    public ValueTask<StreamPosition> PositionAsync(string channel, CancellationToken cancellationToken = default) =>
        Inner.PositionAsync(channel, cancellationToken);

    private static async ValueTask<PublishResult> AwaitPublishAsync(ValueTask<PublishResult> pending, long start)
    {
        try { return await pending.ConfigureAwait(false); }
        finally { RealtimeMetrics.PublishTook(start); }
    }

    private static async ValueTask<HistoryResult> AwaitHistoryAsync(ValueTask<HistoryResult> pending, long start)
    {
        try { return await pending.ConfigureAwait(false); }
        finally { RealtimeMetrics.HistoryTook(start); }
    }
}
