using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Server;

namespace Wirehub.Redis;

/// <summary>Registers the Redis scale-out in dependency injection.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Makes the realtime server (<c>AddWirehub</c>, called before or after) share its channels, presence and recovery
    /// state with every node using the same Redis: registers the node's <see cref="RedisNode"/> (one multiplexed
    /// connection), a <see cref="RedisBroker"/>, a <see cref="RedisPresenceStore"/> and a <see cref="RedisSessionStore"/>
    /// in place of the in-memory ones.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The Redis to use, as StackExchange.Redis parses it (e.g. <c>localhost:6379</c>).</param>
    public static IServiceCollection AddWirehubRedis(this IServiceCollection services, string configuration) =>
        services.AddWirehubRedis(configuration, _ => { });

    /// <inheritdoc cref="AddWirehubRedis(IServiceCollection, string)"/>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The Redis to use, as StackExchange.Redis parses it (e.g. <c>localhost:6379</c>).</param>
    /// <param name="configure">Adjusts the <see cref="RedisBrokerOptions"/>.</param>
    public static IServiceCollection AddWirehubRedis(this IServiceCollection services, string configuration, Action<RedisBrokerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RedisBrokerOptions();
        configure(options);
        services.AddSingleton(sp =>
        {
            var node = RedisNode.Connect(configuration, options, sp.GetService<ILoggerFactory>()?.CreateLogger("Wirehub.Redis"));
            if (options.ShareRecoveryKeySecret) node.ShareRecoveryKeySecret(RealtimeOptionsOf(sp));
            return node;
        });
        services.RemoveAll<IBroker>();
        services.AddSingleton<IBroker>(sp => new RedisBroker(sp.GetRequiredService<RedisNode>(), RealtimeOptionsOf(sp).RulesOf, sp.GetService<TimeProvider>()));
        services.RemoveAll<IPresenceStore>();
        services.AddSingleton<IPresenceStore>(sp => new RedisPresenceStore(sp.GetRequiredService<RedisNode>()));
        services.RemoveAll<ISessionStore>();
        services.AddSingleton<ISessionStore>(sp => new RedisSessionStore(sp.GetRequiredService<RedisNode>()));
        return services;
    }

    private static RealtimeOptions RealtimeOptionsOf(IServiceProvider services) => services.GetService<RealtimeOptions>()
        ?? throw new InvalidOperationException("The realtime server is not registered: call services.AddWirehub() as well as AddWirehubRedis().");
}
