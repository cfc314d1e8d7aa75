namespace Wirehub.Cli.Configuration;

/// <summary>
/// Every setting of <c>wirehub serve</c>, its default and its range: the one list the flags, the help, the reader and
/// docs/CONFIGURATION.md follow.
/// </summary>
internal static class ServeSettingCatalog
{
    private static long Seconds(double seconds) => TimeSpan.FromSeconds(seconds).Ticks;

    public static readonly ServeSetting Port = new("Port", "--port", SettingKind.Integer,
        "TCP port to listen on; 0 picks a free one.", "8080") { Minimum = 0, Maximum = 65535 };

    public static readonly ServeSetting Host = new("Host", "--host", SettingKind.Text,
        "Address to listen on.", "localhost")
    { AcceptsText = "localhost, an IP address (0.0.0.0 or :: for every interface) or * (every interface)" };

    public static readonly ServeSetting ApiKey = new("ApiKey", "--api-key", SettingKind.Text,
        "Key of POST /api/publish (Authorization: apikey KEY).", "a random key, printed at start", "WIREHUB_API_KEY")
    { AcceptsText = "1 to 256 printable ASCII characters without spaces", IsSecret = true };

    public static readonly ServeSetting TlsCertificate = new("Tls:Certificate", "--cert", SettingKind.Text,
        "PEM certificate (chain) file; with --key, serves https:// and wss://.", "none (plain http:// and ws://)")
    { AcceptsText = "a readable PEM certificate file, given together with --key" };

    public static readonly ServeSetting TlsKey = new("Tls:Key", "--key", SettingKind.Text,
        "PEM private key file of --cert (unencrypted PKCS#8, PKCS#1 or SEC1).", "none")
    { AcceptsText = "a readable, unencrypted PEM private key file matching --cert" };

    public static readonly ServeSetting Broker = new("Broker", "--broker", SettingKind.Choice,
        "Where channel streams live: memory (one node) or redis (nodes sharing a Redis).", "memory")
    { Choices = ["memory", "redis"] };

    public static readonly ServeSetting Redis = new("Redis", "--redis", SettingKind.Text,
        "Redis connection string of --broker redis (StackExchange.Redis syntax, e.g. localhost:6379,password=...).", "none")
    { AcceptsText = "a non-empty connection string; required by --broker redis", IsSecret = true };

    public static readonly ServeSetting DrainWindow = new("DrainWindow", "--drain-window", SettingKind.Duration,
        "On SIGTERM or Ctrl+C: new WebSocket upgrades get 503 and open connections are closed with 1001, spread over this window; 0s closes them at once.", "10s")
    { Minimum = 0, Maximum = Seconds(600) };

    public static readonly ServeSetting HandshakeTimeout = new("HandshakeTimeout", "--handshake-timeout", SettingKind.Duration,
        "Time a client has to send its whole request head (the WebSocket opening handshake included).", "10s")
    { Minimum = Seconds(1), Maximum = Seconds(600) };

    public static readonly ServeSetting KeepAliveInterval = new("KeepAliveInterval", "--keep-alive-interval", SettingKind.Duration,
        "WebSocket ping (RFC 6455 §5.5.2) after this much silence on /connection and /echo; 0s turns it off.", "30s")
    { Minimum = 0, Maximum = Seconds(86400) };

    public static readonly ServeSetting KeepAliveTimeout = new("KeepAliveTimeout", "--keep-alive-timeout", SettingKind.Duration,
        "Time allowed for an answer to a keep-alive ping before the connection is dropped.", "30s")
    { Minimum = TimeSpan.FromMilliseconds(100).Ticks, Maximum = Seconds(86400) };

    public static readonly ServeSetting LogFormat = new("LogFormat", "--log-format", SettingKind.Choice,
        "Console logs: simple (one line per event) or json (one object per line, with structured fields and scopes).", "simple")
    { Choices = ["simple", "json"] };

    public static readonly ServeSetting MaxConnections = new("Realtime:MaxConnections", "--max-connections", SettingKind.Integer,
        "Realtime connections served at once; beyond, new ones get 503 with Retry-After. 0: no limit.", "0")
    { Minimum = 0, Maximum = 10_000_000 };

    public static readonly ServeSetting ConnectionRate = new("Realtime:ConnectionRate", "--connection-rate", SettingKind.Integer,
        "New realtime connections accepted per second; beyond, 503 with Retry-After. 0: no limit.", "0")
    { Minimum = 0, Maximum = 1_000_000 };

    public static readonly ServeSetting MessageRate = new("Realtime:MessageRate", "--message-rate", SettingKind.Integer,
        "Frames one connection may send per second; more get error 429, and that many refusals in a row close it with 1013.", "200")
    { Minimum = 1, Maximum = 1_000_000 };

    public static readonly ServeSetting PublishRate = new("Realtime:PublishRate", "--publish-rate", SettingKind.Integer,
        "Publishes per second per connection; more get error 429.", "50")
    { Minimum = 1, Maximum = 1_000_000 };

    public static readonly ServeSetting MaxMessageSize = new("Realtime:MaxMessageSize", "--max-message-size", SettingKind.ByteSize,
        "Largest data of a publish (or of a presence entry), in bytes as sent; larger gets 413.", "64KiB")
    { Minimum = 1, Maximum = 16 * 1024 * 1024 };

    public static readonly ServeSetting SendQueueBytes = new("Realtime:SendQueueBytes", "--send-queue-bytes", SettingKind.ByteSize,
        "Bytes queued for one connection that does not read; beyond, it is closed as a slow consumer (1008).", "1MiB")
    { Minimum = 1024, Maximum = 1024L * 1024 * 1024 };

    public static readonly ServeSetting MaxSubscriptions = new("Realtime:MaxSubscriptions", "--max-subscriptions", SettingKind.Integer,
        "Channels one connection may subscribe to.", "128")
    { Minimum = 1, Maximum = 100_000 };

    public static readonly ServeSetting RecoveryWindow = new("Realtime:RecoveryWindow", "--recovery-window", SettingKind.Duration,
        "How long a dropped session stays recoverable (same client id, presence kept, missed messages replayed).", "2m")
    { Minimum = 0, Maximum = Seconds(86400) };

    public static readonly ServeSetting RecoverySecret = new("Realtime:RecoverySecret", "--recovery-secret", SettingKind.Text,
        "HMAC key signing recovery keys; give every node the same one so keys survive restarts and work across nodes.",
        "random per process; with --broker redis, one the nodes share through Redis")
    { AcceptsText = "at least 32 bytes of UTF-8 text", IsSecret = true };

    public static readonly ServeSetting PresenceGrace = new("Realtime:PresenceGrace", "--presence-grace", SettingKind.Duration,
        "How long the presence of a dropped connection is kept before it leaves.", "5s")
    { Minimum = 0, Maximum = Seconds(600) };

    public static readonly ServeSetting PingInterval = new("Realtime:PingInterval", "--ping-interval", SettingKind.Duration,
        "Interval of the realtime protocol's ping, announced to clients in limits.pingInterval.", "25s")
    { Minimum = Seconds(1), Maximum = Seconds(600) };

    public static readonly ServeSetting ConnectTimeout = new("Realtime:ConnectTimeout", "--connect-timeout", SettingKind.Duration,
        "Time a realtime client has to send its connect frame after the WebSocket opens; then 4001.", "10s")
    { Minimum = Seconds(1), Maximum = Seconds(600) };

    public static readonly ServeSetting AllowedOrigins = new("Realtime:AllowedOrigins", "--allowed-origin", SettingKind.List,
        "Browser origins allowed to connect (repeat the flag, or separate with commas); others get 403.", "any origin")
    { AcceptsText = "origins like https://example.com or http://localhost:3000 (scheme, host and optional port; no path)" };

    public static readonly ServeSetting JwtKey = new("Realtime:JwtKey", "--jwt-key", SettingKind.Text,
        "HS256 key of the JWTs clients present in connect; with it, every client needs a valid token.", "none (anonymous access)")
    { AcceptsText = "at least 32 bytes of UTF-8 text (256 bits, RFC 7518 §3.2)", IsSecret = true };

    public static readonly ServeSetting HistorySize = new("Realtime:Defaults:HistorySize", "--history-size", SettingKind.Integer,
        "Messages kept per channel for history, rewind and recovery; 0 keeps none.", "100")
    { Minimum = 0, Maximum = 100_000 };

    public static readonly ServeSetting HistoryTtl = new("Realtime:Defaults:HistoryTtl", "--history-ttl", SettingKind.Duration,
        "How long a message stays in history.", "5m")
    { Minimum = Seconds(1), Maximum = Seconds(7 * 86400) };

    public static readonly ServeSetting Presence = new("Realtime:Defaults:Presence", "--presence", SettingKind.Boolean,
        "Whether presence (who is in a channel) is enabled.", "true");

    public static readonly ServeSetting PublishPolicy = new("Realtime:Defaults:Publish", "--publish-policy", SettingKind.Choice,
        "Who may publish: anyone connected, only the channel's subscribers, or only the server (POST /api/publish).", "anyone")
    { Choices = ["anyone", "subscribers", "server-only"] };

    public static readonly ServeSetting Fallback = new("Fallback:Enabled", "--fallback", SettingKind.Boolean,
        "Serve the HTTP fallback transports beside /connection (Server-Sent Events at /connection/sse, long polling at /connection/poll) for clients that cannot open a WebSocket.", "true");

    public static readonly ServeSetting PollTimeout = new("Fallback:PollTimeout", "--poll-timeout", SettingKind.Duration,
        "How long a long poll is held when nothing is pending before it answers empty; keep it below your proxies' idle timeout.", "25s")
    { Minimum = Seconds(1), Maximum = Seconds(300) };

    public static readonly ServeSetting PollSessionTimeout = new("Fallback:SessionTimeout", "--poll-session-timeout", SettingKind.Duration,
        "How long a long-polling session lives with no poll outstanding before it is dropped (its client then recovers).", "30s")
    { Minimum = Seconds(1), Maximum = Seconds(600) };

    public static readonly ServeSetting SseKeepAliveInterval = new("Fallback:KeepAliveInterval", "--sse-keep-alive-interval", SettingKind.Duration,
        "Interval of the keep-alive comment on a Server-Sent Events stream.", "15s")
    { Minimum = Seconds(1), Maximum = Seconds(600) };

    /// <summary>Every setting, in the order of the help and the documentation.</summary>
    public static readonly IReadOnlyList<ServeSetting> All =
    [
        Port, Host, ApiKey, TlsCertificate, TlsKey, Broker, Redis, DrainWindow, HandshakeTimeout, KeepAliveInterval,
        KeepAliveTimeout, LogFormat, MaxConnections, ConnectionRate, MessageRate, PublishRate, MaxMessageSize, SendQueueBytes,
        MaxSubscriptions, RecoveryWindow, RecoverySecret, PresenceGrace, PingInterval, ConnectTimeout, AllowedOrigins,
        JwtKey, HistorySize, HistoryTtl, Presence, PublishPolicy, Fallback, PollTimeout, PollSessionTimeout, SseKeepAliveInterval,
    ];

    /// <summary>The rules a namespace may override, under <c>Realtime:Namespaces:NAME:</c>.</summary>
    public static readonly IReadOnlyList<ServeSetting> NamespaceRules = [HistorySize, HistoryTtl, Presence, PublishPolicy];
}
