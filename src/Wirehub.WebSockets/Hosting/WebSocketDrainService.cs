using Microsoft.Extensions.Hosting;

namespace Wirehub.WebSockets;

/// <summary>
/// Runs the drain as the host stops: the draining flag goes up with ApplicationStopping (so readiness turns false at
/// once), and the closes run in the stopping phase, before any hosted service stops, so the server keeps answering
/// (503 to upgrades, health probes) for the whole window.
/// </summary>
internal sealed class WebSocketDrainService(WebSocketDrain drain, IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    private CancellationTokenRegistration _stopping;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(static state => ((WebSocketDrain)state!).BeginDraining(), drain);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => drain.DrainAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
