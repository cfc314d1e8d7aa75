namespace Wirehub.Realtime.Broker;

/// <summary>
/// A session whose connection dropped, kept for the recovery window so the client can resume it on any node.
/// </summary>
/// <param name="ClientId">The session's client id.</param>
/// <param name="ConnectionId">The session's connection id, which the recovery key names.</param>
/// <param name="PresenceChannels">Channels where the session is present (entries kept through the presence grace).</param>
/// <param name="DetachedAt">When the connection dropped, in Unix milliseconds of the detaching node's clock.</param>
public sealed record DetachedSession(string ClientId, string ConnectionId, IReadOnlyList<string> PresenceChannels, long DetachedAt);
