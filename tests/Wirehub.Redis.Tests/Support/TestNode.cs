using Wirehub.Realtime.Channels;

namespace Wirehub.Redis.Tests.Support;

/// <summary>One node's Redis parts, as a server process would have them, with a handler recording deliveries.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private TestNode(RedisNode node, RedisBroker broker)
    {
        Node = node;
        Broker = broker;
        Presence = new RedisPresenceStore(node);
        Sessions = new RedisSessionStore(node);
        broker.SetEventHandler(Handler);
    }

    public RedisNode Node { get; }
    public RedisBroker Broker { get; }
    public RedisPresenceStore Presence { get; }
    public RedisSessionStore Sessions { get; }
    public RecordingHandler Handler { get; } = new();

    public static async Task<TestNode> StartAsync(string configuration, string prefix, NamespaceOptions? rules = null,
        TimeProvider? time = null, Action<RedisBrokerOptions>? configure = null)
    {
        var options = new RedisBrokerOptions
        {
            KeyPrefix = prefix,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            // Short enough for dead-node tests to finish quickly, long enough that a loaded machine's late heartbeat
            // does not get a live node taken for dead.
            NodeTimeout = TimeSpan.FromSeconds(3),
        };
        configure?.Invoke(options);
        var node = await RedisNode.ConnectAsync(configuration, options);
        rules ??= new NamespaceOptions();
        return new TestNode(node, new RedisBroker(node, _ => rules, time));
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Node.DisposeAsync();
    }
}
