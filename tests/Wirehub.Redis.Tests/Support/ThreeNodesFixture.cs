namespace Wirehub.Redis.Tests.Support;

/// <summary>A redis-server and three Wirehub nodes on it, each a separate process, shared by the tests of one class.</summary>
public sealed class ThreeNodesFixture : IAsyncLifetime
{
    internal RedisServer Redis { get; private set; } = null!;
    internal WirehubNode[] Nodes { get; private set; } = [];

    internal WirehubNode A => Nodes[0];
    internal WirehubNode B => Nodes[1];
    internal WirehubNode C => Nodes[2];

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => WirehubNode.StartAsync(Redis.Configuration, "--presence-grace", "1s")));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>Tests that run Wirehub nodes as processes take turns: the machine has few cores.</summary>
[CollectionDefinition(Name)]
public sealed class NodeProcessesCollection
{
    public const string Name = "Wirehub node processes";
}
