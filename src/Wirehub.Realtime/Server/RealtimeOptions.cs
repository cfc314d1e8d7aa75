using System.Security.Cryptography;
using Wirehub.Realtime.Channels;

namespace Wirehub.Realtime.Server;

/// <summary>Options of the realtime server; every default is the documented one (PROTOCOL.md, <c>limits</c>).</summary>
public sealed class RealtimeOptions
{
    /// <summary>The subprotocol served.</summary>
    public const string Subprotocol = "wirehub.v1";

    /// <summary>Largest <c>data</c> of a publish or presence request, in bytes as sent (default 65 536).</summary>
    public int MaxMessageSize { get; set; } = 65536;

    /// <summary>Channels one connection may subscribe to (default 128).</summary>
    public int MaxSubscriptions { get; set; } = 128;

    /// <summary>Publishes per second per connection; more get error 429 (default 50).</summary>
    public int PublishRate { get; set; } = 50;

    /// <summary>Interval of the server's <c>ping</c> (default 25 s).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Adjusts the WebSocket endpoint's engine options (keep-alive interval and timeout, handshake timeout, deflate…)
    /// after the realtime layer has set its own (subprotocol, message size, send-queue bound and policy, origins).
    /// </summary>
    public Action<Wirehub.WebSockets.WebSocketServerOptions>? ConfigureWebSocket { get; set; }

    /// <summary>How long a dropped session stays recoverable (default 2 minutes).</summary>
    public TimeSpan RecoveryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the presence of a dropped connection is kept before it leaves (default 5 s).</summary>
    public TimeSpan PresenceGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for the <c>connect</c> frame after the WebSocket opens; then 4001 (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes queued for one connection before it is closed as a slow consumer with 1008 (default 1 MiB).</summary>
    public long SendQueueLimit { get; set; } = 1024 * 1024;

    /// <summary>
    /// HMAC-SHA256 key signing recovery keys; nodes that share it can verify each other's keys. Random per process by
    /// default, so recovery keys do not survive a restart unless a key is configured.
    /// </summary>
    public byte[] RecoveryKeySecret { get; set; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// Key of the HS256 JWTs clients present in <c>connect</c>; null (the default) admits anonymous clients with every
    /// capability. With a key, <c>connect</c> needs a valid <c>token</c> (else close 4001).
    /// </summary>
    public byte[]? TokenSigningKey { get; set; }

    /// <summary>How long before a token expires the server pushes <c>refresh_required</c> (default 30 s).</summary>
    public TimeSpan RefreshNotice { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections served at once; beyond, the upgrade is answered 503 with Retry-After (default 0: no limit).</summary>
    public int MaxConnections { get; set; }

    /// <summary>New connections accepted per second; beyond, 503 with Retry-After (default 0: no limit).</summary>
    public int ConnectionRate { get; set; }

    /// <summary>
    /// Frames a connection may send per second (default 200): more get error 429, and a connection refused that many
    /// times in a row is closed with 1013.
    /// </summary>
    public int RequestRate { get; set; } = 200;

    /// <summary>Origins allowed to open connections (exact match); empty (the default) allows any. Others get 403.</summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>The key of <c>POST /api/publish</c> (<c>Authorization: apikey KEY</c>); null refuses every request with 401.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Rules of channels without a namespace, and of namespaces not listed in <see cref="Namespaces"/>.</summary>
    public NamespaceOptions DefaultNamespace { get; set; } = new();

    /// <summary>Rules per namespace (the part of a channel name before the first <c>:</c>).</summary>
    public IDictionary<string, NamespaceOptions> Namespaces { get; } = new Dictionary<string, NamespaceOptions>(StringComparer.Ordinal);

    /// <summary>The rules that apply to <paramref name="channel"/>.</summary>
    public NamespaceOptions RulesOf(string channel) =>
        Namespaces.TryGetValue(ChannelName.NamespaceOf(channel), out var rules) ? rules : DefaultNamespace;
}
