using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Wirehub.WebSockets;

/// <summary>Registers the graceful drain of WebSocket connections.</summary>
public static class WebSocketDrainServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="WebSocketDrain"/> that every WebSocket endpoint of the host reports to and that runs when
    /// the host stops; <see cref="HostOptions.ShutdownTimeout"/> is raised, if needed, to cover the window and the last
    /// closing handshakes. Call before building the host.
    /// </summary>
    public static IServiceCollection AddWebSocketDrain(this IServiceCollection services, Action<WebSocketDrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new WebSocketDrainOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(sp => new WebSocketDrain(options, sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
        services.AddHostedService<WebSocketDrainService>();
        // The window, then the last connections' closing handshakes (the engine's default close timeout is 5 s).
        var needed = options.Window + TimeSpan.FromSeconds(15);
        services.PostConfigure<HostOptions>(host =>
        {
            if (host.ShutdownTimeout < needed) host.ShutdownTimeout = needed;
        });
        return services;
    }
}
