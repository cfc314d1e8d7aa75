using Microsoft.Extensions.DependencyInjection;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Server;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

public sealed class RedisServiceCollectionTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _prefix = RedisFixture.NewPrefix();
    private readonly List<ServiceProvider> _providers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
    }

    private ServiceProvider Build(bool redisFirst, Action<RedisBrokerOptions>? configure = null)
    {
        var services = new ServiceCollection();
        void AddRedis() => services.AddWirehubRedis(redis.Server.Configuration, o =>
        {
            o.KeyPrefix = _prefix;
            configure?.Invoke(o);
        });
        if (redisFirst) AddRedis();
        services.AddWirehub();
        if (!redisFirst) AddRedis();
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_Redis_parts_replace_the_in_memory_ones_whichever_is_registered_first(bool redisFirst)
    {
        var provider = Build(redisFirst);
        Assert.IsType<RedisBroker>(provider.GetRequiredService<IBroker>());
        Assert.IsType<RedisPresenceStore>(provider.GetRequiredService<IPresenceStore>());
        Assert.IsType<RedisSessionStore>(provider.GetRequiredService<ISessionStore>());
        Assert.NotNull(provider.GetRequiredService<RealtimeHub>());
    }

    [Fact]
    public void Nodes_sharing_a_Redis_adopt_one_recovery_key_secret()
    {
        var first = Build(redisFirst: false);
        var second = Build(redisFirst: false);
        first.GetRequiredService<RealtimeHub>();
        second.GetRequiredService<RealtimeHub>();
        Assert.Equal(first.GetRequiredService<RealtimeOptions>().RecoveryKeySecret, second.GetRequiredService<RealtimeOptions>().RecoveryKeySecret);
    }

    [Fact]
    public void A_node_told_not_to_share_keeps_its_own_recovery_key_secret()
    {
        Build(redisFirst: false).GetRequiredService<RealtimeHub>();
        var own = Build(redisFirst: false, o => o.ShareRecoveryKeySecret = false);
        byte[] secret = own.GetRequiredService<RealtimeOptions>().RecoveryKeySecret;
        own.GetRequiredService<RealtimeHub>();
        Assert.Same(secret, own.GetRequiredService<RealtimeOptions>().RecoveryKeySecret);
    }

    [Fact]
    public void Without_the_realtime_server_the_broker_cannot_be_made()
    {
        var services = new ServiceCollection();
        services.AddWirehubRedis(redis.Server.Configuration);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IBroker>());
        Assert.Contains("AddWirehub()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clock_skew_allowance_as_long_as_the_operation_timeout_is_refused()
    {
        var options = new RedisBrokerOptions { OperationTimeout = TimeSpan.FromSeconds(1), ClockSkewAllowance = TimeSpan.FromSeconds(1) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RedisNode.ConnectAsync(redis.Server.Configuration, options));
        Assert.Contains("ClockSkewAllowance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_timeout_not_above_the_heartbeat_interval_is_refused()
    {
        var options = new RedisBrokerOptions { NodeTimeout = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromSeconds(2) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RedisNode.ConnectAsync(redis.Server.Configuration, options));
        Assert.Contains("NodeTimeout", error.Message, StringComparison.Ordinal);
    }
}
