using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Wirehub.Cli.Operations;

/// <summary>Maps the operations endpoints registered by <see cref="OperationsBuilderExtensions.AddWirehubOperations"/>.</summary>
internal static class OperationsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// <c>GET /metrics</c> (Prometheus text format, every name <c>wirehub_...</c>), <c>GET /healthz</c> (200 while the
    /// process serves requests) and <c>GET /readyz</c> (200 when ready for new connections; 503 while draining or while
    /// the broker is unreachable), each answering JSON with the checks' verdicts.
    /// </summary>
    public static IEndpointRouteBuilder MapWirehubOperations(this IEndpointRouteBuilder endpoints)
    {
        var exporter = endpoints.ServiceProvider.GetService<PrometheusExporter>()
            ?? throw new InvalidOperationException("The operations services are not registered: call builder.AddWirehubOperations() first.");
        endpoints.MapMetrics("/metrics", exporter.Registry);
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            // Liveness runs no check: answering at all is the proof. A draining node is alive.
            Predicate = _ => false,
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(OperationsBuilderExtensions.ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return endpoints;
    }
}
