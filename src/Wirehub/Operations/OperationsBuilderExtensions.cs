using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Wirehub.Cli.Operations;

/// <summary>What a Wirehub node needs to be operated: console logs in a chosen format, metrics and health checks.</summary>
internal static class OperationsBuilderExtensions
{
    /// <summary>Tag of the health checks that decide readiness (/readyz).</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Logs to the console in <paramref name="format"/> (levels still come from the <c>Logging</c> configuration, e.g.
    /// <c>Logging__LogLevel__Wirehub=Debug</c> for every connection's open and close), exports the Wirehub meters for
    /// /metrics, and registers the readiness checks: not draining, broker reachable. Map the endpoints with
    /// <see cref="OperationsEndpointRouteBuilderExtensions.MapWirehubOperations"/>.
    /// </summary>
    public static WebApplicationBuilder AddWirehubOperations(this WebApplicationBuilder builder, LogFormat format)
    {
        // ASP.NET Core's per-request events would log every scrape and probe: Warning unless the configuration says
        // otherwise (this default is the first source, so any other one overrides it).
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Default", "Information"), new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        builder.Logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(options =>
            {
                // Scopes carry Kestrel's ConnectionId and the request, so every event of a connection can be found.
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        builder.Services.AddSingleton<PrometheusExporter>();
        builder.Services.AddHealthChecks()
            .AddCheck<DrainHealthCheck>("drain", tags: [ReadyTag])
            .AddCheck<BrokerHealthCheck>("broker", tags: [ReadyTag]);
        return builder;
    }
}
