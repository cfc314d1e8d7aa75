using System.Text.Json;

namespace Wirehub.Realtime.Client;

/// <summary>A message of a channel, as delivered to subscribers or returned by history.</summary>
public sealed class ChannelMessage
{
    /// <summary>The channel it was published to.</summary>
    public required string Channel { get; init; }

    /// <summary>Its serial in the channel's stream.</summary>
    public required long Serial { get; init; }

    /// <summary>The epoch of the stream the serial belongs to.</summary>
    public required string Epoch { get; init; }

    /// <summary>The publisher's message id, or one assigned by the server.</summary>
    public required string Id { get; init; }

    /// <summary>When the server accepted it.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Who published it; null for server-side publishes.</summary>
    public PublisherIdentity? Publisher { get; init; }

    /// <summary>The published JSON value (owned by this message; valid for its lifetime).</summary>
    public required JsonElement Data { get; init; }

    /// <summary>Its position in the channel's stream.</summary>
    public StreamPosition Position => new(Serial, Epoch);
}
