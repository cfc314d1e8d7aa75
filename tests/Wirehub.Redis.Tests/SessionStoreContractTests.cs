using Wirehub.Realtime.Broker;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

/// <summary>What every <see cref="ISessionStore"/> does, checked on the in-memory and the Redis store alike.</summary>
public abstract class SessionStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(2);

    protected abstract Task<ISessionStore> CreateAsync();

    protected ISessionStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static DetachedSession Session(string connectionId, params string[] channels) => new("c-1", connectionId, channels, 1_764_000_000_000);

    [Fact]
    public async Task A_saved_session_is_taken_with_what_was_saved()
    {
        await Store.SaveAsync(Session("k1"), Retention);
        var taken = await Store.TakeAsync("k1");
        Assert.NotNull(taken);
        Assert.Equal(("c-1", "k1", 1_764_000_000_000L), (taken.ClientId, taken.ConnectionId, taken.DetachedAt));
    }

    [Fact]
    public async Task A_session_is_taken_once()
    {
        await Store.SaveAsync(Session("k1"), Retention);
        Assert.NotNull(await Store.TakeAsync("k1"));
        Assert.Null(await Store.TakeAsync("k1"));
    }

    [Fact]
    public async Task An_unknown_session_is_not_found()
    {
        Assert.Null(await Store.TakeAsync("k-unknown"));
    }

    [Fact]
    public async Task Releasing_presence_returns_the_channels_once()
    {
        await Store.SaveAsync(Session("k1", "room:a", "room:b"), Retention);
        Assert.Equal(["room:a", "room:b"], (await Store.ReleasePresenceAsync("k1")).Order());
        Assert.Empty(await Store.ReleasePresenceAsync("k1"));
        Assert.NotNull(await Store.TakeAsync("k1"));
    }

    [Fact]
    public async Task Releasing_presence_of_a_taken_session_returns_nothing()
    {
        await Store.SaveAsync(Session("k1", "room:a"), Retention);
        Assert.NotNull(await Store.TakeAsync("k1"));
        Assert.Empty(await Store.ReleasePresenceAsync("k1"));
    }

    [Fact]
    public async Task Concurrent_takes_give_the_session_to_exactly_one()
    {
        await Store.SaveAsync(Session("k1"), Retention);
        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.TakeAsync("k1").AsTask()));
        Assert.Single(takes, t => t is not null);
    }
}

public sealed class InMemorySessionStoreTests : SessionStoreContractTests
{
    protected override Task<ISessionStore> CreateAsync() => Task.FromResult<ISessionStore>(new InMemorySessionStore());

    [Fact]
    public async Task Sessions_past_their_retention_are_dropped_as_new_ones_arrive()
    {
        var time = new ManualTimeProvider();
        var store = new InMemorySessionStore(time);
        await store.SaveAsync(new DetachedSession("c-1", "k1", [], 0), TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(10));
        await store.SaveAsync(new DetachedSession("c-1", "k2", [], 0), TimeSpan.FromSeconds(5));
        Assert.Null(await store.TakeAsync("k1"));
        Assert.NotNull(await store.TakeAsync("k2"));
    }
}

public sealed class RedisSessionStoreTests(RedisFixture redis) : SessionStoreContractTests, IClassFixture<RedisFixture>
{
    private readonly string _prefix = RedisFixture.NewPrefix();
    private readonly List<TestNode> _nodes = [];

    private async Task<TestNode> NodeAsync()
    {
        var node = await TestNode.StartAsync(redis.Server.Configuration, _prefix);
        _nodes.Add(node);
        return node;
    }

    protected override async Task<ISessionStore> CreateAsync() => (await NodeAsync()).Sessions;

    public override async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }

    [Fact]
    public async Task A_session_saved_by_one_node_is_taken_by_another()
    {
        var left = await NodeAsync();
        var reached = await NodeAsync();
        await left.Sessions.SaveAsync(new DetachedSession("c-1", "k1", [], 42), TimeSpan.FromMinutes(1));
        Assert.Equal("c-1", (await reached.Sessions.TakeAsync("k1"))?.ClientId);
    }

    [Fact]
    public async Task A_session_is_forgotten_after_its_retention()
    {
        await Store.SaveAsync(new DetachedSession("c-1", "k1", [], 42), TimeSpan.FromMilliseconds(50));
        await Eventually.TrueAsync(() => redis.Server.CommandAsync("EXISTS", _prefix + "session:k1").Result == ":0", "the session key to expire");
        Assert.Null(await Store.TakeAsync("k1"));
    }

    [Fact]
    public async Task Taking_a_session_moves_its_presence_entries_to_the_taking_node()
    {
        var left = await NodeAsync();
        var reached = await NodeAsync();
        await left.Presence.EnterAsync("room:a", new PresenceMember("c-1", "k1", new byte[] { (byte)'1' }));
        await left.Sessions.SaveAsync(new DetachedSession("c-1", "k1", ["room:a", "room:gone"], 42), TimeSpan.FromMinutes(1));
        var taken = await reached.Sessions.TakeAsync("k1");
        // Only entries that still exist come back: room:gone was never entered.
        Assert.Equal(["room:a"], taken!.PresenceChannels);
        Assert.False(await left.Presence.LeaveAsync("room:a", "k1"));
        Assert.True(await reached.Presence.LeaveAsync("room:a", "k1"));
    }

    [Fact]
    public async Task Presence_taken_over_survives_the_death_of_the_node_it_left()
    {
        var watcher = await NodeAsync();
        var left = await TestNode.StartAsync(redis.Server.Configuration, _prefix);
        await left.Presence.EnterAsync("room:a", new PresenceMember("c-1", "k1", new byte[] { (byte)'1' }));
        await left.Sessions.SaveAsync(new DetachedSession("c-1", "k1", ["room:a"], 42), TimeSpan.FromMinutes(1));
        Assert.NotNull(await watcher.Sessions.TakeAsync("k1"));
        await left.DisposeAsync();
        await Eventually.TrueAsync(() => redis.Server.CommandAsync("ZSCORE", _prefix + "nodes", left.Node.NodeId).Result == "$-1", "the dead node to be reaped");
        Assert.Equal(["k1"], (await watcher.Presence.MembersAsync("room:a")).Select(m => m.ConnectionId));
    }
}
