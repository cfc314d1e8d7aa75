using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wirehub.Realtime.Broker;

namespace Wirehub.Cli.Operations;

/// <summary>
/// Not ready while the broker reports itself unreachable (<see cref="IBrokerHealth"/>): publishes would fail, and clients
/// are better served by a node that reaches it. A broker that does not report its health is taken to be available.
/// </summary>
internal sealed class BrokerHealthCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService(typeof(IBroker)) is not IBrokerHealth health)
            return HealthCheckResult.Healthy("The broker does not report its health.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            return await health.IsAvailableAsync(timeout.Token).ConfigureAwait(false)
                ? HealthCheckResult.Healthy("The broker is reachable.")
                : HealthCheckResult.Unhealthy("The broker is unreachable: publishes fail until it is back.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The broker did not answer within {Patience.TotalSeconds:0} s.");
        }
    }
}
