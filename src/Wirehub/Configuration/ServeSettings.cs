using System.Text;
using Wirehub.Cli.Operations;
using Wirehub.Realtime.Server;
using Wirehub.Realtime.Server.Transports;
using Wirehub.WebSockets;

namespace Wirehub.Cli.Configuration;

/// <summary>
/// The settings of <c>wirehub serve</c> after every rule of <see cref="ServeSettingsReader"/> passed; each property is
/// documented in docs/CONFIGURATION.md under its key.
/// </summary>
internal sealed class ServeSettings
{
    public required int Port { get; init; }

    public required ListenAddress Host { get; init; }

    /// <summary>The configured key, or null when a random one is generated at start.</summary>
    public string? ApiKey { get; init; }

    public string? TlsCertificateFile { get; init; }

    public string? TlsKeyFile { get; init; }

    public BrokerKind Broker { get; init; }

    public string? Redis { get; init; }

    public TimeSpan DrainWindow { get; init; }

    public TimeSpan HandshakeTimeout { get; init; }

    public TimeSpan KeepAliveInterval { get; init; }

    public TimeSpan KeepAliveTimeout { get; init; }

    public LogFormat LogFormat { get; init; }

    public int MaxConnections { get; init; }

    public int ConnectionRate { get; init; }

    public int MessageRate { get; init; }

    public int PublishRate { get; init; }

    public int MaxMessageSize { get; init; }

    public long SendQueueBytes { get; init; }

    public int MaxSubscriptions { get; init; }

    public TimeSpan RecoveryWindow { get; init; }

    /// <summary>The configured secret, or null for a random one per process.</summary>
    public string? RecoverySecret { get; init; }

    public TimeSpan PresenceGrace { get; init; }

    public TimeSpan PingInterval { get; init; }

    public TimeSpan ConnectTimeout { get; init; }

    public required IReadOnlyList<string> AllowedOrigins { get; init; }

    public string? JwtKey { get; init; }

    public required NamespaceRules Defaults { get; init; }

    public required IReadOnlyDictionary<string, NamespaceRules> Namespaces { get; init; }

    public required FallbackTransportOptions Fallback { get; init; }

    public bool UsesTls => TlsCertificateFile is not null;

    /// <summary>Copies the realtime settings onto <paramref name="options"/>, with <paramref name="apiKey"/> as the publish key.</summary>
    public void ApplyTo(RealtimeOptions options, string apiKey)
    {
        options.ApiKey = apiKey;
        options.MaxConnections = MaxConnections;
        options.ConnectionRate = ConnectionRate;
        options.RequestRate = MessageRate;
        options.PublishRate = PublishRate;
        options.MaxMessageSize = MaxMessageSize;
        options.SendQueueLimit = SendQueueBytes;
        options.MaxSubscriptions = MaxSubscriptions;
        options.RecoveryWindow = RecoveryWindow;
        if (RecoverySecret is not null) options.RecoveryKeySecret = Encoding.UTF8.GetBytes(RecoverySecret);
        options.PresenceGrace = PresenceGrace;
        options.PingInterval = PingInterval;
        options.ConnectTimeout = ConnectTimeout;
        options.ConfigureWebSocket = ws =>
        {
            ws.KeepAliveInterval = KeepAliveInterval;
            ws.KeepAliveTimeout = KeepAliveTimeout;
        };
        foreach (var origin in AllowedOrigins) options.AllowedOrigins.Add(origin);
        if (JwtKey is not null) options.TokenSigningKey = Encoding.UTF8.GetBytes(JwtKey);
        options.DefaultNamespace = Defaults.ToOptions();
        foreach (var (name, rules) in Namespaces) options.Namespaces[name] = rules.ToOptions();
    }

    /// <summary>Copies the connection settings onto the options of a plain WebSocket endpoint (/echo).</summary>
    public void ApplyTo(WebSocketServerOptions options)
    {
        options.KeepAliveInterval = KeepAliveInterval;
        options.KeepAliveTimeout = KeepAliveTimeout;
        options.SendQueueLimit = SendQueueBytes;
        foreach (var origin in AllowedOrigins) options.AllowedOrigins.Add(origin);
    }
}
