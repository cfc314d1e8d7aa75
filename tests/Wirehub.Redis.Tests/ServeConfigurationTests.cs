using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

/// <summary><c>--broker redis --redis ...</c> has the same effect from the environment and from appsettings.json.</summary>
[Collection(NodeProcessesCollection.Name)]
public sealed class ServeConfigurationTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Nodes_configured_by_environment_and_by_file_share_their_channels()
    {
        await using var fromEnvironment = await WirehubNode.StartConfiguredAsync(
            new Dictionary<string, string> { ["WIREHUB_BROKER"] = "redis", ["WIREHUB_REDIS"] = _redis.Configuration });
        await using var fromFile = await WirehubNode.StartConfiguredAsync(null, appSettings: $"{{\"Broker\": \"redis\", \"Redis\": \"{_redis.Configuration}\"}}");
        var (publisher, _) = await fromEnvironment.ConnectAsync();
        await using var p = publisher;
        var ack = await publisher.RequestAsync("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:conf\",\"data\":\"shared\"}", "ack");
        var (reader, _) = await fromFile.ConnectAsync();
        await using var r = reader;
        var history = await reader.RequestAsync("{\"type\":\"history\",\"id\":3,\"channel\":\"room:conf\"}", "history");
        Assert.Equal(ack.GetProperty("epoch").GetString(), history.GetProperty("position").GetProperty("epoch").GetString());
        Assert.Equal("\"shared\"", Assert.Single(history.GetProperty("messages").EnumerateArray()).GetProperty("data").GetRawText());
    }
}
