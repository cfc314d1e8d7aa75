using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Server;

/// <summary>Registers the realtime server in dependency injection.</summary>
public static class RealtimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RealtimeOptions"/>, the <see cref="RealtimeHub"/>, the <see cref="IRealtimePublisher"/> and,
    /// unless already registered, an <see cref="InMemoryBroker"/> with its <see cref="InMemoryPresenceStore"/> and an
    /// <see cref="InMemorySessionStore"/>. A registered <see cref="TimeProvider"/> is their clock.
    /// </summary>
    public static IServiceCollection AddWirehub(this IServiceCollection services, Action<RealtimeOptions>? configure = null)
    {
        var options = new RealtimeOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(sp => new InMemoryBroker(options.RulesOf, time: sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IBroker>(sp => sp.GetRequiredService<InMemoryBroker>());
        services.TryAddSingleton<IPresenceStore>(sp => new InMemoryPresenceStore(sp.GetRequiredService<InMemoryBroker>()));
        services.TryAddSingleton<ISessionStore>(sp => new InMemorySessionStore(sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new RealtimeHub(options, sp.GetRequiredService<IBroker>(), sp.GetRequiredService<IPresenceStore>(),
            sp.GetService<TimeProvider>(), sp.GetRequiredService<ISessionStore>())
        {
            Logger = sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger(Diagnostics.RealtimeLog.Category)
                ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
        });
        services.AddSingleton<IRealtimePublisher>(sp => new RealtimePublisher(sp.GetRequiredService<RealtimeHub>()));
        return services;
    }
}
