using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Tests.Server.Support;

/// <summary>A broker that is down: publishing fails as unavailable, everything else works on an empty stream.</summary>
internal sealed class UnavailableBroker : IBroker
{
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
