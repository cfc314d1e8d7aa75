using System.Text.Json;
using Wirehub.Redis.Tests.Support;

namespace Wirehub.Redis.Tests;

/// <summary>The nginx configuration of docs/SCALING.md, run in front of three nodes: clients land anywhere, and it works.</summary>
[Collection(NodeProcessesCollection.Name)]
public sealed class NginxTests(ThreeNodesFixture nodes) : IClassFixture<ThreeNodesFixture>, IAsyncLifetime
{
    private NginxProxy _nginx = null!;

    public async Task InitializeAsync() => _nginx = await NginxProxy.StartAsync(nodes.Nodes.Select(n => n.Port));

    public async Task DisposeAsync() => await _nginx.DisposeAsync();

    private static long Serial(JsonElement e) => e.GetProperty("serial").GetInt64();

    private static string Channel() => "room:" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public void The_documented_configuration_lists_the_nodes_without_stickiness()
    {
        string configuration = NginxProxy.DocumentedConfiguration();
        Assert.DoesNotContain("ip_hash", configuration, StringComparison.Ordinal);
        Assert.DoesNotContain("sticky", configuration, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", configuration, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_connected_through_nginx_share_channels_whichever_node_they_reach()
    {
        string channel = Channel();
        var (reader, _) = await _nginx.ConnectAsync();
        await using var r = reader;
        await reader.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        // Round robin spreads these over the three nodes.
        for (int i = 1; i <= 6; i++)
        {
            var (publisher, _) = await _nginx.ConnectAsync();
            await using var p = publisher;
            Assert.Equal(i, Serial(await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":3,\"channel\":\"{channel}\",\"data\":{i}}}", "ack")));
        }
        for (int i = 1; i <= 6; i++) Assert.Equal(i, Serial(await reader.ExpectAsync("message")));
    }

    [Fact]
    public async Task A_client_dropped_behind_nginx_recovers_wherever_it_lands_next()
    {
        string channel = Channel();
        var (old, connected) = await _nginx.ConnectAsync();
        var subscribed = await old.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        string epoch = subscribed.GetProperty("position").GetProperty("epoch").GetString()!;
        await old.AbortAsync();
        var (publisher, _) = await _nginx.ConnectAsync();
        await using var p = publisher;
        await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":3,\"channel\":\"{channel}\",\"data\":1}}", "ack");

        string recover = $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{connected.GetProperty("recoveryKey").GetString()}\",\"positions\":{{\"{channel}\":{{\"serial\":0,\"epoch\":\"{epoch}\"}}}}}}}}";
        var (client, again) = await _nginx.ConnectAsync(recover);
        await using var c = client;
        Assert.Equal(connected.GetProperty("clientId").GetString(), again.GetProperty("clientId").GetString());
        Assert.True(again.GetProperty("subscriptions")[0].GetProperty("recovered").GetBoolean());
        Assert.Equal(1, Serial(await client.ExpectAsync("message")));
    }
}
