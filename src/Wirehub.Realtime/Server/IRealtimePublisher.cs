using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Server;

/// <summary>Publishes from the server itself (no publisher identity); registered in DI by <c>AddWirehub</c>.</summary>
public interface IRealtimePublisher
{
    /// <summary>
    /// Publishes <paramref name="jsonData"/> (one JSON value, UTF-8) to <paramref name="channel"/>; a
    /// <paramref name="messageId"/> already used on the channel within the idempotency window returns the original position.
    /// </summary>
    /// <exception cref="ArgumentException">The channel name is invalid or the data is not one JSON value.</exception>
    /// <exception cref="BrokerUnavailableException">Nothing was published; retry later.</exception>
    ValueTask<StreamPosition> PublishAsync(string channel, ReadOnlyMemory<byte> jsonData, string? messageId = null,
        CancellationToken cancellationToken = default);
}
