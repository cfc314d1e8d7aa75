namespace Wirehub.Realtime.Broker;

/// <summary>One connection's presence on a channel, with its JSON <c>data</c> as sent.</summary>
/// <param name="ClientId">The member's client id.</param>
/// <param name="ConnectionId">The member's connection id (a client may be present from several connections).</param>
/// <param name="Data">The member's data: one JSON value, or empty when none was given.</param>
public sealed record PresenceMember(string ClientId, string ConnectionId, ReadOnlyMemory<byte> Data);
