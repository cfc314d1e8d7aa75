using System.Text.Json;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;

namespace Wirehub.Realtime.Server;

/// <summary>Publishes on behalf of the server through the hub's broker.</summary>
internal sealed class RealtimePublisher(RealtimeHub hub) : IRealtimePublisher
{
    public async ValueTask<StreamPosition> PublishAsync(string channel, ReadOnlyMemory<byte> jsonData, string? messageId = null,
        CancellationToken cancellationToken = default)
    {
        if (!ChannelName.IsValid(channel))
            throw new ArgumentException("Bad channel name: use 1-255 characters from A-Z a-z 0-9 _ - : . @ / = ,", nameof(channel));
        if (!IsOneJsonValue(jsonData.Span)) throw new ArgumentException("The data must be one JSON value.", nameof(jsonData));
        if (messageId is { Length: 0 or > 64 }) throw new ArgumentException("A message id is 1-64 characters.", nameof(messageId));
        var result = await hub.Broker.PublishAsync(channel, jsonData.ToArray(), messageId, null, cancellationToken).ConfigureAwait(false);
        return result.Message.Position;
    }

    private static bool IsOneJsonValue(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read()) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
