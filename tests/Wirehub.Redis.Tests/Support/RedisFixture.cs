namespace Wirehub.Redis.Tests.Support;

/// <summary>One redis-server per test class; each test keeps to its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    internal RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A key prefix no other test uses.</summary>
    internal static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10] + ":";
}
