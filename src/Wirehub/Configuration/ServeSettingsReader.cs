using System.Text;
using Wirehub.Realtime.Channels;
using Wirehub.Realtime.Server;
using Wirehub.Realtime.Server.Transports;
using Wirehub.WebSockets;
using Catalog = Wirehub.Cli.Configuration.ServeSettingCatalog;

namespace Wirehub.Cli.Configuration;

/// <summary>
/// Every rule a <c>wirehub serve</c> setting must pass, in one place. Each refused value adds one message that names
/// the setting in all its spellings, the accepted values, and the source that set it; the server starts only when
/// there are none.
/// </summary>
internal sealed class ServeSettingsReader
{
    // The defaults are the libraries' own, so the server and the documentation cannot drift apart from them.
    private static readonly RealtimeOptions RealtimeDefaults = new();
    private static readonly NamespaceOptions NamespaceDefaults = new();
    private static readonly WebSocketServerOptions EngineDefaults = new();
    private static readonly FallbackTransportOptions FallbackDefaults = new();

    private readonly ServeConfigurationLayers _config;
    private readonly List<string> _errors;

    private ServeSettingsReader(ServeConfigurationLayers config, List<string> errors)
    {
        _config = config;
        _errors = errors;
    }

    /// <summary>Reads and checks every setting; null when any is refused, with the reasons added to <paramref name="errors"/>.</summary>
    public static ServeSettings? Read(ServeConfigurationLayers config, List<string> errors)
    {
        int before = errors.Count;
        var settings = new ServeSettingsReader(config, errors).ReadAll();
        return errors.Count == before ? settings : null;
    }

    private ServeSettings ReadAll()
    {
        RefuseUnknownFileKeys();

        var host = ListenAddress.Parse("localhost")!;
        if (Text(Catalog.Host, out string hostSource) is { } hostText)
        {
            if (ListenAddress.Parse(hostText) is { } parsed) host = parsed;
            else Refuse(Catalog.Host, hostText, hostSource);
        }

        string? apiKey = Text(Catalog.ApiKey, out string apiKeySource);
        if (apiKey is not null && (apiKey.Length > 256 || !apiKey.All(c => c is > ' ' and <= '~')))
            Refuse(Catalog.ApiKey, apiKey, apiKeySource);

        string? certificate = Text(Catalog.TlsCertificate, out _);
        string? key = Text(Catalog.TlsKey, out _);
        if ((certificate is null) != (key is null))
        {
            var given = certificate is null ? Catalog.TlsKey : Catalog.TlsCertificate;
            var missing = certificate is null ? Catalog.TlsCertificate : Catalog.TlsKey;
            _errors.Add($"{given.Title} needs {missing.Title} too: TLS takes a certificate file and its private key file.");
        }

        var broker = Choice(Catalog.Broker) == "redis" ? BrokerKind.Redis : BrokerKind.Memory;
        string? redis = Text(Catalog.Redis, out _);
        if (broker == BrokerKind.Redis && redis is null)
            _errors.Add($"{Catalog.Broker.Title} is redis, which needs {Catalog.Redis.Title}: give the Redis connection string, e.g. --redis localhost:6379.");
        if (broker == BrokerKind.Memory && redis is not null)
            _errors.Add($"{Catalog.Redis.Title} is set but the broker is memory: add --broker redis (WIREHUB_BROKER=redis) to use it, or remove it.");

        var origins = new List<string>();
        if (_config.Values(Catalog.AllowedOrigins.Key, out string originSource) is { } originValues)
        {
            foreach (var origin in originValues)
            {
                if (IsOrigin(origin)) origins.Add(origin.TrimEnd('/'));
                else Refuse(Catalog.AllowedOrigins, origin, originSource);
            }
        }

        string? jwtKey = Text(Catalog.JwtKey, out string jwtSource);
        if (jwtKey is not null && Encoding.UTF8.GetByteCount(jwtKey) < 32) Refuse(Catalog.JwtKey, jwtKey, jwtSource);

        string? recoverySecret = Text(Catalog.RecoverySecret, out string secretSource);
        if (recoverySecret is not null && Encoding.UTF8.GetByteCount(recoverySecret) < 32) Refuse(Catalog.RecoverySecret, recoverySecret, secretSource);

        var defaults = Rules([Catalog.HistorySize, Catalog.HistoryTtl, Catalog.Presence, Catalog.PublishPolicy], new NamespaceRules(NamespaceDefaults.HistorySize, NamespaceDefaults.HistoryTtl, NamespaceDefaults.Presence, NamespaceDefaults.Publish));
        var namespaces = new Dictionary<string, NamespaceRules>(StringComparer.Ordinal);
        foreach (var name in _config.SectionNames("Realtime:Namespaces"))
        {
            if (!IsNamespaceName(name))
            {
                _errors.Add($"Realtime:Namespaces:{name} is not a namespace name: use 1-255 characters from A-Z a-z 0-9 _ - . @ / = , (no ':'), the part of a channel name before its first ':'.");
                continue;
            }
            namespaces[name] = Rules(Catalog.NamespaceRules.Select(rule => rule.ForNamespace(name)).ToArray(), defaults);
        }

        return new ServeSettings
        {
            Port = (int)(Number(Catalog.Port) ?? 8080),
            Host = host,
            ApiKey = apiKey,
            TlsCertificateFile = certificate,
            TlsKeyFile = key,
            Broker = broker,
            Redis = redis,
            DrainWindow = Duration(Catalog.DrainWindow) ?? TimeSpan.FromSeconds(10),
            HandshakeTimeout = Duration(Catalog.HandshakeTimeout) ?? EngineDefaults.HandshakeTimeout,
            KeepAliveInterval = Duration(Catalog.KeepAliveInterval) ?? EngineDefaults.KeepAliveInterval,
            KeepAliveTimeout = Duration(Catalog.KeepAliveTimeout) ?? EngineDefaults.KeepAliveTimeout,
            LogFormat = Choice(Catalog.LogFormat) == "json" ? Operations.LogFormat.Json : Operations.LogFormat.Simple,
            MaxConnections = (int)(Number(Catalog.MaxConnections) ?? RealtimeDefaults.MaxConnections),
            ConnectionRate = (int)(Number(Catalog.ConnectionRate) ?? RealtimeDefaults.ConnectionRate),
            MessageRate = (int)(Number(Catalog.MessageRate) ?? RealtimeDefaults.RequestRate),
            PublishRate = (int)(Number(Catalog.PublishRate) ?? RealtimeDefaults.PublishRate),
            MaxMessageSize = (int)(Number(Catalog.MaxMessageSize) ?? RealtimeDefaults.MaxMessageSize),
            SendQueueBytes = Number(Catalog.SendQueueBytes) ?? RealtimeDefaults.SendQueueLimit,
            MaxSubscriptions = (int)(Number(Catalog.MaxSubscriptions) ?? RealtimeDefaults.MaxSubscriptions),
            RecoveryWindow = Duration(Catalog.RecoveryWindow) ?? RealtimeDefaults.RecoveryWindow,
            RecoverySecret = recoverySecret,
            PresenceGrace = Duration(Catalog.PresenceGrace) ?? RealtimeDefaults.PresenceGrace,
            PingInterval = Duration(Catalog.PingInterval) ?? RealtimeDefaults.PingInterval,
            ConnectTimeout = Duration(Catalog.ConnectTimeout) ?? RealtimeDefaults.ConnectTimeout,
            AllowedOrigins = origins,
            JwtKey = jwtKey,
            Defaults = defaults,
            Namespaces = namespaces,
            Fallback = new FallbackTransportOptions
            {
                Enabled = Boolean(Catalog.Fallback) ?? FallbackDefaults.Enabled,
                PollTimeout = Duration(Catalog.PollTimeout) ?? FallbackDefaults.PollTimeout,
                SessionTimeout = Duration(Catalog.PollSessionTimeout) ?? FallbackDefaults.SessionTimeout,
                KeepAliveInterval = Duration(Catalog.SseKeepAliveInterval) ?? FallbackDefaults.KeepAliveInterval,
            },
        };
    }

    /// <summary>A misspelt key in the file would otherwise be ignored without a word, leaving the default in force.</summary>
    private void RefuseUnknownFileKeys()
    {
        var known = new HashSet<string>(Catalog.All.Select(setting => setting.Key), StringComparer.OrdinalIgnoreCase);
        var ruleNames = new HashSet<string>(Catalog.NamespaceRules.Select(rule => rule.Key["Realtime:Defaults:".Length..]), StringComparer.OrdinalIgnoreCase);
        foreach (var key in _config.FileKeys())
        {
            string[] parts = key.Split(':');
            bool ok = known.Contains(key)
                // Settings of the ASP.NET Core host (logging levels) live in the same file.
                || parts[0].Equals("Logging", StringComparison.OrdinalIgnoreCase)
                || (parts.Length == 3 && $"{parts[0]}:{parts[1]}".Equals(Catalog.AllowedOrigins.Key, StringComparison.OrdinalIgnoreCase) && int.TryParse(parts[2], out _))
                || (parts.Length is 3 or 4 && $"{parts[0]}:{parts[1]}".Equals("Realtime:Namespaces", StringComparison.OrdinalIgnoreCase)
                    && (parts.Length == 3 || ruleNames.Contains(parts[3])));
            if (!ok)
                _errors.Add($"{_config.FilePath}: unknown setting {key}; check its spelling against docs/CONFIGURATION.md (or wirehub serve --help).");
        }
    }

    private NamespaceRules Rules(IReadOnlyList<ServeSetting> rules, NamespaceRules inherited) => new(
        HistorySize: (int)(Number(rules[0]) ?? inherited.HistorySize),
        HistoryTtl: Duration(rules[1]) ?? inherited.HistoryTtl,
        Presence: Boolean(rules[2]) ?? inherited.Presence,
        Publish: Choice(rules[3]) switch
        {
            "anyone" => Realtime.Channels.PublishPolicy.Anyone,
            "subscribers" => Realtime.Channels.PublishPolicy.Subscribers,
            "server-only" => Realtime.Channels.PublishPolicy.ServerOnly,
            _ => inherited.Publish,
        });

    /// <summary>An origin is scheme://host[:port] (RFC 6454 §6.2); a trailing '/' is tolerated, a path is not.</summary>
    private static bool IsOrigin(string text)
    {
        string trimmed = text.EndsWith('/') ? text[..^1] : text;
        int schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || trimmed.IndexOf('/', schemeEnd + 3) >= 0) return false;
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.Host.Length > 0 && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0;
    }

    private static bool IsNamespaceName(string name) => ChannelName.IsValid(name) && !name.Contains(':');

    /// <summary>A text setting's value, or null when unset or blank (an empty variable counts as unset).</summary>
    private string? Text(ServeSetting setting, out string source)
    {
        string? raw = _config.Value(setting.Key, out source);
        return string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
    }

    private long? Number(ServeSetting setting)
    {
        if (Text(setting, out string source) is not { } raw) return null;
        long value = 0;
        bool parsed = setting.Kind switch
        {
            SettingKind.Integer => SettingTextSyntax.TryParseInteger(raw, out value),
            SettingKind.ByteSize => SettingTextSyntax.TryParseByteSize(raw, out value),
            _ => throw new InvalidOperationException($"{setting.Key} is not a number setting."),
        };
        if (parsed && value >= setting.Minimum && value <= setting.Maximum) return value;
        Refuse(setting, raw, source);
        return null;
    }

    private TimeSpan? Duration(ServeSetting setting)
    {
        if (Text(setting, out string source) is not { } raw) return null;
        if (SettingTextSyntax.TryParseDuration(raw, out var value) && value.Ticks >= setting.Minimum && value.Ticks <= setting.Maximum)
            return value;
        Refuse(setting, raw, source);
        return null;
    }

    private bool? Boolean(ServeSetting setting)
    {
        if (Text(setting, out string source) is not { } raw) return null;
        if (SettingTextSyntax.TryParseBoolean(raw, out bool value)) return value;
        Refuse(setting, raw, source);
        return null;
    }

    private string? Choice(ServeSetting setting)
    {
        if (Text(setting, out string source) is not { } raw) return null;
        string word = raw.ToLowerInvariant();
        if (setting.Choices.Contains(word)) return word;
        Refuse(setting, raw, source);
        return null;
    }

    private void Refuse(ServeSetting setting, string raw, string source)
    {
        string shown = setting.IsSecret ? $"the given value ({raw.Length} characters)" : $"'{raw}'";
        _errors.Add($"{setting.Title} must be {setting.Accepts}, not {shown} (set by {source}).");
    }
}
