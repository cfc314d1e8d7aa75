using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class PresenceTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync(o =>
    {
        o.PresenceGrace = TimeSpan.FromMilliseconds(200);
        o.Namespaces["quiet"] = new Channels.NamespaceOptions { Presence = false };
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<WireClient> SubscribedAsync(string channel)
    {
        var (client, _) = await _server.ConnectAsync();
        await client.RequestAsync($"{{\"type\":\"subscribe\",\"id\":2,\"channel\":\"{channel}\"}}", "subscribed");
        return client;
    }

    [Fact]
    public async Task Enter_update_leave_are_acknowledged_and_pushed_to_subscribers()
    {
        await using var watcher = await SubscribedAsync("room:lobby");
        await using var ada = await SubscribedAsync("room:lobby");
        var ok = await ada.RequestSeenByItselfAsync("{\"type\":\"presence.enter\",\"id\":9,\"channel\":\"room:lobby\",\"data\":{\"name\":\"Ada\",\"color\":\"#e0a\"}}", "ok", "presence.event");
        Assert.Equal(9, ok.GetProperty("id").GetInt64());
        var enter = await watcher.ExpectAsync("presence.event");
        Assert.Equal("room:lobby", enter.GetProperty("channel").GetString());
        Assert.Equal("enter", enter.GetProperty("action").GetString());
        Assert.Equal("Ada", enter.GetProperty("member").GetProperty("data").GetProperty("name").GetString());
        Assert.StartsWith("k-", enter.GetProperty("member").GetProperty("connectionId").GetString());

        await ada.RequestSeenByItselfAsync("{\"type\":\"presence.update\",\"id\":10,\"channel\":\"room:lobby\",\"data\":{\"name\":\"Ada\",\"color\":\"#0ae\"}}", "ok", "presence.event");
        var update = await watcher.ExpectAsync("presence.event");
        Assert.Equal("update", update.GetProperty("action").GetString());
        Assert.Equal("#0ae", update.GetProperty("member").GetProperty("data").GetProperty("color").GetString());

        var members = await watcher.RequestAsync("{\"type\":\"presence.get\",\"id\":12,\"channel\":\"room:lobby\"}", "presence");
        Assert.Equal(12, members.GetProperty("id").GetInt64());
        Assert.Equal("#0ae", members.GetProperty("members")[0].GetProperty("data").GetProperty("color").GetString());
        Assert.Equal(1, members.GetProperty("members").GetArrayLength());

        await ada.RequestSeenByItselfAsync("{\"type\":\"presence.leave\",\"id\":11,\"channel\":\"room:lobby\"}", "ok", "presence.event");
        Assert.Equal("leave", (await watcher.ExpectAsync("presence.event")).GetProperty("action").GetString());
        var none = await watcher.RequestAsync("{\"type\":\"presence.get\",\"id\":13,\"channel\":\"room:lobby\"}", "presence");
        Assert.Equal(0, none.GetProperty("members").GetArrayLength());
    }

    [Fact]
    public async Task Presence_without_subscription_fails_with_404()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var error = await client.RequestAsync("{\"type\":\"presence.enter\",\"id\":9,\"channel\":\"room:x\",\"data\":{}}", "error");
        Assert.Equal(404, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Presence_in_a_namespace_without_presence_fails_with_403()
    {
        await using var client = await SubscribedAsync("quiet:x");
        var error = await client.RequestAsync("{\"type\":\"presence.enter\",\"id\":9,\"channel\":\"quiet:x\",\"data\":{}}", "error");
        Assert.Equal(403, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Dropped_connection_leaves_after_the_grace_period()
    {
        await using var watcher = await SubscribedAsync("room:drop");
        var ada = await SubscribedAsync("room:drop");
        await ada.RequestSeenByItselfAsync("{\"type\":\"presence.enter\",\"id\":9,\"channel\":\"room:drop\",\"data\":1}", "ok", "presence.event");
        Assert.Equal("enter", (await watcher.ExpectAsync("presence.event")).GetProperty("action").GetString());
        await ada.AbortAsync();
        Assert.Equal("leave", (await watcher.ExpectAsync("presence.event")).GetProperty("action").GetString());
    }

    [Fact]
    public async Task Recovered_session_keeps_its_presence_without_leave_or_enter()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.PresenceGrace = TimeSpan.FromMinutes(1));
        var (watcher, _) = await server.ConnectAsync();
        await using var w = watcher;
        await watcher.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:keep\"}", "subscribed");
        var (ada, connected) = await server.ConnectAsync();
        var subscribed = await ada.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:keep\"}", "subscribed");
        await ada.RequestSeenByItselfAsync("{\"type\":\"presence.enter\",\"id\":9,\"channel\":\"room:keep\",\"data\":1}", "ok", "presence.event");
        await watcher.ExpectAsync("presence.event");
        await ada.AbortAsync();

        await using var back = await server.OpenAsync();
        var position = subscribed.GetProperty("position");
        var recovered = await back.RequestAsync(
            $"{{\"type\":\"connect\",\"id\":1,\"recover\":{{\"key\":\"{connected.GetProperty("recoveryKey").GetString()}\",\"positions\":{{\"room:keep\":{position.GetRawText()}}}}}}}", "connected");
        Assert.True(recovered.GetProperty("recovered").GetBoolean());
        Assert.Equal(connected.GetProperty("connectionId").GetString(), recovered.GetProperty("connectionId").GetString());
        await back.RequestSeenByItselfAsync("{\"type\":\"publish\",\"id\":3,\"channel\":\"room:keep\",\"data\":1}", "ack", "message");
        // The next thing the watcher sees is the message: no leave and no enter came before it.
        Assert.Equal("message", (await watcher.ReceiveAsync())!.Value.GetProperty("type").GetString());
        var members = await watcher.RequestAsync("{\"type\":\"presence.get\",\"id\":4,\"channel\":\"room:keep\"}", "presence");
        Assert.Equal(connected.GetProperty("connectionId").GetString(), members.GetProperty("members")[0].GetProperty("connectionId").GetString());
    }

    [Fact]
    public async Task Connection_closed_normally_leaves_at_once()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.PresenceGrace = TimeSpan.FromHours(1));
        var (watcher, _) = await server.ConnectAsync();
        await using var w = watcher;
        await watcher.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:bye\"}", "subscribed");
        var (ada, _) = await server.ConnectAsync();
        await ada.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:bye\"}", "subscribed");
        await ada.RequestSeenByItselfAsync("{\"type\":\"presence.enter\",\"id\":9,\"channel\":\"room:bye\",\"data\":1}", "ok", "presence.event");
        await watcher.ExpectAsync("presence.event");
        await ada.Socket.CloseAsync();
        await ada.DisposeAsync();
        Assert.Equal("leave", (await watcher.ExpectAsync("presence.event")).GetProperty("action").GetString());
    }
}
