namespace Wirehub.Realtime.Broker;

/// <summary>Who published a message: the client and the connection it came from.</summary>
/// <param name="ClientId">The publishing client's id.</param>
/// <param name="ConnectionId">The connection the message came in on.</param>
public sealed record PublisherIdentity(string ClientId, string ConnectionId);
