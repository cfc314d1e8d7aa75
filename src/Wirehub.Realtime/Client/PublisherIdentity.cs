namespace Wirehub.Realtime.Client;

/// <summary>Who published a message.</summary>
/// <param name="ClientId">The publisher's client id.</param>
/// <param name="ConnectionId">The connection it published from.</param>
public sealed record PublisherIdentity(string ClientId, string ConnectionId);
