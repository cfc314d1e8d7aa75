namespace Wirehub.Realtime.Broker;

/// <summary>
/// Stores channel streams and moves messages between nodes. Publishing assigns the serial and appends to history in one
/// atomic step per channel, so every node sees a channel's messages in the same order as its history.
/// </summary>
public interface IBroker
{
    /// <summary>Sets the handler receiving live messages and presence events of the channels this node subscribed to.</summary>
    void SetEventHandler(IBrokerEventHandler handler);

    /// <summary>
    /// Publishes <paramref name="data"/> (one JSON value) to <paramref name="channel"/>. With a
    /// <paramref name="messageId"/> already published to the channel within the idempotency window, nothing is published
    /// and the original message is returned with <see cref="PublishResult.Duplicate"/> set.
    /// </summary>
    /// <exception cref="BrokerUnavailableException">Nothing was published; retry later.</exception>
    ValueTask<PublishResult> PublishAsync(string channel, ReadOnlyMemory<byte> data, string? messageId,
        PublisherIdentity? publisher, CancellationToken cancellationToken = default);

    /// <summary>Starts delivering the channel's live messages to this node (once per channel, however many local subscribers).</summary>
    ValueTask SubscribeAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>Stops delivering the channel's live messages to this node.</summary>
    ValueTask UnsubscribeAsync(string channel, CancellationToken cancellationToken = default);

    /// <summary>Reads the channel's retained history.</summary>
    ValueTask<HistoryResult> HistoryAsync(string channel, HistoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>The channel's current position (serial of its last message and its epoch).</summary>
    ValueTask<StreamPosition> PositionAsync(string channel, CancellationToken cancellationToken = default);
}
