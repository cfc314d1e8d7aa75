using System.Collections.Concurrent;
using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Server;

/// <summary>
/// A connected session: its identity and its presence entries. When its connection drops, they wait for recovery in the
/// <see cref="ISessionStore"/> as a <see cref="DetachedSession"/>, so a recovered connection keeps them without a leave
/// and a new enter.
/// </summary>
internal sealed class SessionState(string clientId, string connectionId)
{
    public string ClientId { get; } = clientId;
    public string ConnectionId { get; } = connectionId;
    /// <summary>The identity stamped on this session's messages, made once rather than per publish.</summary>
    public PublisherIdentity Publisher { get; } = new(clientId, connectionId);
    /// <summary>Channels where the session entered presence.</summary>
    public ConcurrentDictionary<string, byte> PresenceChannels { get; } = new(StringComparer.Ordinal);
}
