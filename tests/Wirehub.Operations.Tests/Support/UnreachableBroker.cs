using Wirehub.Realtime.Broker;

namespace Wirehub.Operations.Tests.Support;

/// <summary>A broker whose store can be switched off: it then reports itself unavailable and refuses publishes.</summary>
internal sealed class UnreachableBroker : IBroker, IBrokerHealth
{
    public volatile bool Available = true;

    public ValueTask<bool> IsAvailableAsync(CancellationToken cancellationToken = default) => new(Available);

    public void SetEventHandler(IBrokerEventHandler handler) { }

    public ValueTask<PublishResult> PublishAsync(string channel, ReadOnlyMemory<byte> data, string? messageId,
        PublisherIdentity? publisher, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<PublishResult>(new BrokerUnavailableException("The broker is down."));

    public ValueTask SubscribeAsync(string channel, CancellationToken cancellationToken = default) => default;

    public ValueTask UnsubscribeAsync(string channel, CancellationToken cancellationToken = default) => default;

    public ValueTask<HistoryResult> HistoryAsync(string channel, HistoryQuery query, CancellationToken cancellationToken = default) =>
        new(new HistoryResult([], new StreamPosition(0, "e"), true));

    public ValueTask<StreamPosition> PositionAsync(string channel, CancellationToken cancellationToken = default) =>
        new(new StreamPosition(0, "e"));
}
