using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wirehub.Cli.Configuration;
using Wirehub.Cli.Operations;
using Wirehub.Realtime.Server;
using Wirehub.Redis;
using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>
/// <c>wirehub serve</c>: a page at /, a WebSocket echo at /echo, the realtime endpoint (<c>wirehub.v1</c>) at
/// /connection and <c>POST /api/publish</c>, configured from flags, WIREHUB_* environment variables and
/// appsettings.json (in that order of precedence), every value checked before anything starts.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config")
        {
            Description = $"JSON configuration file. Default: {ServeConfigurationLayers.DefaultFileName} in the working directory, if present. Env: {ServeConfigurationLayers.ConfigFileVariable}.",
            HelpName = "FILE",
        };
        var command = new Command("serve",
            "Run the Wirehub server (http://localhost:8080 by default). Every setting also comes from appsettings.json and "
            + "WIREHUB_* environment variables; flags win over the environment, which wins over the file (docs/CONFIGURATION.md).") { config };
        var flags = new List<(ServeSetting Setting, Option Option)>();
        foreach (var setting in ServeSettingCatalog.All)
        {
            string description = $"{setting.Description} Accepts {setting.Accepts}. Default: {setting.DefaultText}. Env: {setting.EnvironmentVariable}.";
            Option option = setting.Kind == SettingKind.List
                ? new Option<string[]>(setting.Flag!) { Description = description, HelpName = "VALUE" }
                : new Option<string?>(setting.Flag!) { Description = description, HelpName = HelpNameOf(setting) };
            command.Options.Add(option);
            flags.Add((setting, option));
        }
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), FlagValues(parse, flags),
            flags.ToDictionary(flag => flag.Setting.Key, flag => flag.Setting, StringComparer.OrdinalIgnoreCase), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, Dictionary<string, string?> flagValues,
        Dictionary<string, ServeSetting> flagSettings, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var layers = ServeConfigurationLayers.Load(configFile, flagValues, flagSettings, errors);
        var settings = layers is null ? null : ServeSettingsReader.Read(layers, errors);
        ServerCertificate? certificate = null;
        if (settings is { UsesTls: true })
            certificate = PemCertificateLoader.Load(settings.TlsCertificateFile!, settings.TlsKeyFile!, errors);
        if (errors.Count > 0)
        {
            foreach (var error in errors) Console.Error.WriteLine($"wirehub serve: {error}");
            Console.Error.WriteLine("wirehub serve did not start: fix the settings above (docs/CONFIGURATION.md lists every setting and its range).");
            return ExitCode.Usage;
        }

        string apiKey = settings!.ApiKey ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using var app = Build(layers!, settings, certificate, apiKey);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            Console.Error.WriteLine($"wirehub serve: could not listen on {settings.Host.Text} port {settings.Port}: {ex.Message} "
                + "Choose another --port (or stop what is using it).");
            return ExitCode.Failure;
        }
        string url = app.Urls.First();
        string ws = url.Replace("http", "ws", StringComparison.Ordinal);
        Console.WriteLine($"wirehub serve listening on {url} (realtime {ws}/connection, echo {ws}/echo, publish POST {url}/api/publish)");
        if (settings.ApiKey is null) Console.WriteLine($"POST /api/publish key: {apiKey}");
        // Ctrl+C and SIGTERM stop the host gracefully, within the drain window.
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCode.Ok;
    }

    private static WebApplication Build(ServeConfigurationLayers layers, ServeSettings settings, ServerCertificate? certificate, string apiKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Host settings that share the file (Logging) take effect as in any ASP.NET Core application.
        builder.Configuration.AddConfiguration(layers.Root);
        // Console logs in the chosen format, /metrics, /healthz and /readyz (docs/OPERATIONS.md).
        builder.AddWirehubOperations(settings.LogFormat);
        // On SIGTERM or Ctrl+C, WebSocket upgrades are refused with 503 and open connections closed with 1001, spread
        // over the drain window so their clients do not all reconnect at once.
        builder.Services.AddWebSocketDrain(drain => drain.Window = settings.DrainWindow);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The WebSocket opening handshake is the request head of an upgrade request.
            kestrel.Limits.RequestHeadersTimeout = settings.HandshakeTimeout;
            Action<ListenOptions> listen = options =>
            {
                if (certificate is not null)
                    options.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate.Certificate, ServerCertificateChain = certificate.Chain });
            };
            var host = settings.Host;
            if (host.IsLocalhost && settings.Port == 0) kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen);
            else if (host.IsLocalhost) kestrel.ListenLocalhost(settings.Port, listen);
            else if (host.IsEveryInterface) kestrel.ListenAnyIP(settings.Port, listen);
            else kestrel.Listen(host.Address!, settings.Port, listen);
        });
        builder.Services.AddWirehub(options => settings.ApplyTo(options, apiKey));
        // Channels, presence and recovery shared with every node on the same Redis (docs/SCALING.md); without a
        // configured recovery secret, the nodes share one through Redis.
        if (settings.Broker == BrokerKind.Redis)
            builder.Services.AddWirehubRedis(settings.Redis!, redis => redis.ShareRecoveryKeySecret = settings.RecoverySecret is null);

        var app = builder.Build();
        string page = LoadPage();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapWebSocket("/echo", async connection =>
        {
            await foreach (var message in connection.ReadAllAsync())
                await connection.SendAsync(message.Data, message.Type);
        }, settings.ApplyTo);
        app.MapWirehub("/connection", settings.Fallback);
        app.MapWirehubScript("/wirehub.js");
        app.MapWirehubPublish("/api/publish");
        app.MapWirehubOperations();
        return app;
    }

    private static Dictionary<string, string?> FlagValues(ParseResult parse, List<(ServeSetting Setting, Option Option)> flags)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (setting, option) in flags)
        {
            if (option is Option<string[]> list)
            {
                var items = (parse.GetValue(list) ?? []).SelectMany(item => item.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                int i = 0;
                foreach (var item in items) values[$"{setting.Key}:{i++}"] = item;
            }
            else if (parse.GetValue((Option<string?>)option) is { } value)
            {
                values[setting.Key] = value;
            }
        }
        return values;
    }

    private static string HelpNameOf(ServeSetting setting) => setting.Kind switch
    {
        SettingKind.Integer => "N",
        SettingKind.Duration => "DURATION",
        SettingKind.ByteSize => "BYTES",
        SettingKind.Boolean => "true|false",
        SettingKind.Choice => string.Join('|', setting.Choices),
        _ when setting == ServeSettingCatalog.TlsCertificate || setting == ServeSettingCatalog.TlsKey => "FILE",
        _ => "VALUE",
    };

    private static string LoadPage()
    {
        using var stream = typeof(ServeCommand).Assembly.GetManifestResourceStream("Wirehub.Web.index.html")
            ?? throw new InvalidOperationException("The embedded page is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
