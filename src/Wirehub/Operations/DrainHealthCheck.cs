using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wirehub.WebSockets;

namespace Wirehub.Cli.Operations;

/// <summary>Not ready from the moment the host starts stopping: a load balancer sends no new clients to a draining node.</summary>
internal sealed class DrainHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService(typeof(WebSocketDrain)) is WebSocketDrain { IsDraining: true }
            ? HealthCheckResult.Unhealthy("Draining: the server is shutting down and accepts no new connections.")
            : HealthCheckResult.Healthy("Accepting connections."));
}
