using System.Collections.Concurrent;
using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Server;

/// <summary>
/// What outlives a connection for the recovery window: the session's identity and its presence entries, so a recovered
/// connection keeps them without a leave and a new enter.
/// </summary>
internal sealed class SessionState(string clientId, string connectionId)
{
    public string ClientId { get; } = clientId;
    public string ConnectionId { get; } = connectionId;
    /// <summary>The identity stamped on this session's messages, made once rather than per publish.</summary>
    public PublisherIdentity Publisher { get; } = new(clientId, connectionId);
    /// <summary>Channels where the session entered presence.</summary>
    public ConcurrentDictionary<string, byte> PresenceChannels { get; } = new(StringComparer.Ordinal);
    /// <summary>When the connection dropped (Unix ms), while detached.</summary>
    public long DetachedAt { get; set; }
    /// <summary>Fires the delayed presence leave of a dropped connection.</summary>
    public ITimer? GraceTimer { get; set; }
}
