using System.Text.Json;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class RecoveryTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync(o =>
        o.Namespaces["small"] = new Channels.NamespaceOptions { HistorySize = 2 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static long Serial(JsonElement e) => e.GetProperty("serial").GetInt64();

    private static string Recover(string key, string channel, long serial, string epoch) =>
        $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{key}\",\"positions\":{{\"{channel}\":{{\"serial\":{serial},\"epoch\":\"{epoch}\"}}}}}}}}";

    /// <summary>A client subscribed to <paramref name="channel"/> that processed message 1 and then dropped.</summary>
    private async Task<(JsonElement Connected, string Epoch, WireClient Publisher)> DropAfterFirstMessageAsync(string channel)
    {
        var (client, connected) = await _server.ConnectAsync();
        await client.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        var (publisher, _) = await _server.ConnectAsync();
        await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":1,\"channel\":\"{channel}\",\"data\":1}}", "ack");
        var first = await client.ExpectAsync("message");
        await client.AbortAsync();
        return (connected, first.GetProperty("epoch").GetString()!, publisher);
    }

    [Fact]
    public async Task Messages_missed_while_away_are_replayed_in_order_before_live_ones()
    {
        var (old, epoch, publisher) = await DropAfterFirstMessageAsync("room:r");
        await using var p = publisher;
        for (int i = 2; i <= 3; i++) await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i},\"channel\":\"room:r\",\"data\":{i}}}", "ack");
        await using var client = await _server.OpenAsync();
        var connected = await client.RequestAsync(Recover(old.GetProperty("recoveryKey").GetString()!, "room:r", 1, epoch), "connected");
        Assert.True(connected.GetProperty("recovered").GetBoolean());
        Assert.Equal(old.GetProperty("clientId").GetString(), connected.GetProperty("clientId").GetString());
        var subscription = connected.GetProperty("subscriptions")[0];
        Assert.Equal("room:r", subscription.GetProperty("channel").GetString());
        Assert.True(subscription.GetProperty("recovered").GetBoolean());
        Assert.Equal(3, Serial(subscription.GetProperty("position")));
        Assert.NotEqual(old.GetProperty("recoveryKey").GetString(), connected.GetProperty("recoveryKey").GetString());
        Assert.Equal(2, Serial(await client.ExpectAsync("message")));
        Assert.Equal(3, Serial(await client.ExpectAsync("message")));
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":9,\"channel\":\"room:r\",\"data\":4}", "ack");
        Assert.Equal(4, Serial(await client.ExpectAsync("message")));
    }

    [Fact]
    public async Task Recovery_past_the_retained_history_reports_continuity_lost()
    {
        var (old, epoch, publisher) = await DropAfterFirstMessageAsync("small:r");
        await using var p = publisher;
        for (int i = 2; i <= 5; i++) await publisher.RequestAsync($"{{\"type\":\"publish\",\"id\":{i},\"channel\":\"small:r\",\"data\":{i}}}", "ack");
        await using var client = await _server.OpenAsync();
        var connected = await client.RequestAsync(Recover(old.GetProperty("recoveryKey").GetString()!, "small:r", 1, epoch), "connected");
        var subscription = connected.GetProperty("subscriptions")[0];
        Assert.False(subscription.GetProperty("recovered").GetBoolean());
        Assert.Equal("continuity_lost", subscription.GetProperty("reason").GetString());
        await publisher.RequestAsync("{\"type\":\"publish\",\"id\":9,\"channel\":\"small:r\",\"data\":6}", "ack");
        Assert.Equal(6, Serial(await client.ExpectAsync("message")));
    }

    [Fact]
    public async Task Recovery_into_another_epoch_reports_continuity_lost()
    {
        var (old, _, publisher) = await DropAfterFirstMessageAsync("room:e");
        await using var p = publisher;
        await using var client = await _server.OpenAsync();
        var connected = await client.RequestAsync(Recover(old.GetProperty("recoveryKey").GetString()!, "room:e", 1, "other-epoch"), "connected");
        Assert.False(connected.GetProperty("subscriptions")[0].GetProperty("recovered").GetBoolean());
    }

    [Fact]
    public async Task Recovery_after_the_window_is_not_recovered()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.RecoveryWindow = TimeSpan.Zero);
        var (first, connected) = await server.ConnectAsync();
        await first.AbortAsync();
        await using var client = await server.OpenAsync();
        await client.SendAsync($"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{connected.GetProperty("recoveryKey").GetString()}\"}}}}");
        var again = await client.ExpectAsync("connected");
        Assert.False(again.GetProperty("recovered").GetBoolean());
    }
}
