using System.Text.Json;
using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Client.Support;

namespace Wirehub.Realtime.Tests.Client;

public class ReconnectTests
{
    private static async Task<(RealtimeClient Client, FakeServerConnection Connection, StateRecorder States)> ConnectAsync(
        FakeWirehubServer server, Action<RealtimeClientOptions>? configure = null)
    {
        var client = TestClient.For(server, configure);
        var states = new StateRecorder(client);
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync(connectionId: "k-1", recoveryKey: "rk1");
        await connecting;
        return (client, connection, states);
    }

    private static async Task SubscribeAsync(RealtimeClient client, FakeServerConnection connection, Action<ChannelMessage> handler,
        long serial = 40, string epoch = "e1")
    {
        var subscribing = client.Channel("room:lobby").SubscribeAsync(handler);
        await connection.AnswerSubscribeAsync(serial, epoch);
        await subscribing;
    }

    private static string Subscription(long serial, string epoch, bool recovered) =>
        $$"""[{"channel":"room:lobby","position":{"serial":{{serial}},"epoch":"{{epoch}}"},"recovered":{{(recovered ? "true" : "false")}}}]""";

    [Fact]
    public async Task Dropped_connection_is_reopened_after_a_backoff()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, states) = await ConnectAsync(server);
        await using var lifetime = client;

        connection.Drop();
        var reconnecting = await states.WaitForAsync(RealtimeClientState.Reconnecting);
        await server.AcceptSessionAsync(connectionId: "k-2", recoveryKey: "rk2", recovered: true);
        await states.WaitForAsync(RealtimeClientState.Connected, count: 2);

        Assert.Equal((ushort?)1006, reconnecting.CloseCode);
        Assert.Equal([RealtimeClientState.Connecting, RealtimeClientState.Connected, RealtimeClientState.Reconnecting, RealtimeClientState.Connected],
            states.States);
        Assert.Equal("k-2", client.ConnectionId);
    }

    [Fact]
    public async Task Server_going_away_with_1001_is_followed_by_a_reconnect()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, states) = await ConnectAsync(server);
        await using var lifetime = client;

        await connection.CloseAsync(1001, "draining");
        var reconnecting = await states.WaitForAsync(RealtimeClientState.Reconnecting);
        await server.AcceptSessionAsync(connectionId: "k-2", recovered: true);
        await states.WaitForAsync(RealtimeClientState.Connected, count: 2);

        Assert.Equal((ushort?)1001, reconnecting.CloseCode);
    }

    [Fact]
    public async Task Failed_reconnect_attempts_are_retried()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, states) = await ConnectAsync(server);
        await using var lifetime = client;

        connection.Drop();
        var refused = await server.AcceptAsync();
        await refused.ExpectAsync("connect");
        await refused.CloseAsync(1013, "overloaded");
        await server.AcceptSessionAsync(connectionId: "k-3", recovered: true);
        await states.WaitForAsync(RealtimeClientState.Connected, count: 2);

        Assert.Equal("k-3", client.ConnectionId);
    }

    [Fact]
    public async Task Reconnect_sends_the_newest_recoveryKey_and_the_last_processed_position_per_channel()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        await SubscribeAsync(client, connection, inbox.Add, serial: 40, epoch: "h3k9x");
        await connection.PushMessageAsync("room:lobby", 41, "h3k9x");
        await inbox.WaitForCountAsync(1);

        connection.Drop();
        var (_, connect) = await server.AcceptSessionAsync(recovered: true);

        var recover = connect.GetProperty("recover");
        Assert.Equal("rk1", recover.GetProperty("key").GetString());
        var position = recover.GetProperty("positions").GetProperty("room:lobby");
        Assert.Equal((41L, "h3k9x"), (position.GetProperty("serial").GetInt64(), position.GetProperty("epoch").GetString()));
        Assert.Equal("c-anon", connect.GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task Messages_already_delivered_are_not_delivered_again_after_recovery()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        await SubscribeAsync(client, connection, inbox.Add, serial: 0);
        await connection.PushMessageAsync("room:lobby", 1);
        await connection.PushMessageAsync("room:lobby", 2);
        await inbox.WaitForCountAsync(2);

        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: true, subscriptions: Subscription(3, "e1", recovered: true));
        // A server replaying from further back than asked: 1 and 2 were delivered already.
        await second.PushMessageAsync("room:lobby", 1);
        await second.PushMessageAsync("room:lobby", 2);
        await second.PushMessageAsync("room:lobby", 3);
        await second.PushMessageAsync("room:lobby", 3);
        await second.PushMessageAsync("room:lobby", 4);
        var delivered = await inbox.WaitForCountAsync(4);

        Assert.Equal([1L, 2L, 3L, 4L], delivered.Select(m => m.Serial));
    }

    [Fact]
    public async Task Recovered_channels_are_not_subscribed_again()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, states) = await ConnectAsync(server);
        await using var lifetime = client;
        await SubscribeAsync(client, connection, _ => { });

        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: true, subscriptions: Subscription(40, "e1", recovered: true));
        await states.WaitForAsync(RealtimeClientState.Connected, count: 2);
        _ = client.Channel("room:lobby").PublishAsync(1);

        await second.ExpectAsync("publish");
    }

    [Fact]
    public async Task Subscription_not_recovered_raises_ContinuityLost_and_resumes_from_the_new_position()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        var channel = client.Channel("room:lobby");
        var lost = new Inbox<ContinuityLostEventArgs>();
        channel.ContinuityLost += (_, e) => lost.Add(e);
        await SubscribeAsync(client, connection, inbox.Add, serial: 40, epoch: "e1");

        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: true, subscriptions: Subscription(7, "e2", recovered: false));
        var args = (await lost.WaitForCountAsync(1))[0];
        await second.PushMessageAsync("room:lobby", 8, "e2");
        var delivered = await inbox.WaitForCountAsync(1);

        Assert.Equal((new StreamPosition(40, "e1"), new StreamPosition(7, "e2")), (args.LastProcessed, args.ResumedAt));
        Assert.Equal(new StreamPosition(8, "e2"), delivered[0].Position);
    }

    [Fact]
    public async Task Session_not_recovered_resubscribes_from_the_last_position()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        await SubscribeAsync(client, connection, inbox.Add, serial: 40, epoch: "e1");
        await connection.PushMessageAsync("room:lobby", 41);
        await inbox.WaitForCountAsync(1);

        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: false);
        var subscribe = await second.AnswerSubscribeAsync(serial: 43, epoch: "e1", recovered: true);
        await second.PushMessageAsync("room:lobby", 42);
        await second.PushMessageAsync("room:lobby", 43);
        var delivered = await inbox.WaitForCountAsync(3);

        var since = subscribe.GetProperty("since");
        Assert.Equal((41L, "e1"), (since.GetProperty("serial").GetInt64(), since.GetProperty("epoch").GetString()));
        Assert.Equal([41L, 42L, 43L], delivered.Select(m => m.Serial));
    }

    [Fact]
    public async Task Resubscribe_answered_recovered_false_raises_ContinuityLost()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");
        var lost = new Inbox<ContinuityLostEventArgs>();
        channel.ContinuityLost += (_, e) => lost.Add(e);
        await SubscribeAsync(client, connection, _ => { }, serial: 40, epoch: "e1");

        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: false);
        await second.AnswerSubscribeAsync(serial: 3, epoch: "e9", recovered: false);
        var args = (await lost.WaitForCountAsync(1))[0];

        Assert.Equal(new StreamPosition(3, "e9"), args.ResumedAt);
        Assert.Equal(new StreamPosition(3, "e9"), channel.Position);
    }

    [Fact]
    public async Task Publish_whose_ack_was_lost_is_sent_again_with_the_same_messageId()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;

        var publishing = client.Channel("room:lobby").PublishAsync(new { text = "once" });
        var first = await connection.ExpectAsync("publish");
        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: true);
        var retried = await second.ExpectAsync("publish");
        string messageId = retried.GetProperty("messageId").GetString()!;
        await second.SendAsync($$"""{"type":"ack","id":{{retried.GetProperty("id").GetInt64()}},"channel":"room:lobby","serial":45,"epoch":"e1","messageId":"{{messageId}}"}""");
        var ack = await publishing;

        Assert.Equal(first.GetProperty("messageId").GetString(), messageId);
        Assert.Equal("once", retried.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(45, ack.Serial);
    }

    [Fact]
    public async Task Requests_made_while_reconnecting_are_sent_once_reconnected()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, states) = await ConnectAsync(server, o => o.ReconnectInitialDelay = o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(200));
        await using var lifetime = client;

        connection.Drop();
        await states.WaitForAsync(RealtimeClientState.Reconnecting);
        var querying = client.Channel("room:lobby").GetMembersAsync();
        var (second, _) = await server.AcceptSessionAsync(recovered: true);
        var request = await second.ExpectAsync("presence.get");
        await second.SendAsync($$"""{"type":"presence","id":{{request.GetProperty("id").GetInt64()}},"channel":"room:lobby","members":[]}""");

        Assert.Empty(await querying);
    }

    [Fact]
    public async Task Token_expired_4002_reconnects_with_a_token_from_the_provider()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        int issued = 0;
        var (client, connection, _) = await ConnectAsync(server, o => o.TokenProvider = _ => ValueTask.FromResult($"token-{Interlocked.Increment(ref issued)}"));
        await using var lifetime = client;

        await connection.CloseAsync(4002, "token expired");
        var (_, connect) = await server.AcceptSessionAsync(recovered: true);

        Assert.Equal("token-2", connect.GetProperty("token").GetString());
        Assert.Equal("rk1", connect.GetProperty("recover").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Token_expired_4002_without_a_provider_ends_the_client()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, states) = await ConnectAsync(server, o => o.Token = "static");
        await using var lifetime = client;

        await connection.CloseAsync(4002, "token expired");
        var closed = await states.WaitForAsync(RealtimeClientState.Closed);

        Assert.Equal((ushort?)4002, closed.CloseCode);
    }

    [Fact]
    public async Task Invalid_recovery_key_4004_reconnects_without_recovery_and_resubscribes_from_the_position()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        await SubscribeAsync(client, connection, _ => { }, serial: 40, epoch: "e1");

        await connection.CloseAsync(4004, "recovery key invalid");
        var (second, connect) = await server.AcceptSessionAsync(recovered: false);
        var subscribe = await second.ExpectAsync("subscribe");

        Assert.False(connect.TryGetProperty("recover", out var _));
        Assert.Equal(40, subscribe.GetProperty("since").GetProperty("serial").GetInt64());
    }

    [Fact]
    public async Task Presence_is_entered_again_when_the_session_was_not_recovered()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");
        await SubscribeAsync(client, connection, _ => { });
        var entering = channel.EnterAsync(new { name = "Ada" });
        var enter = await connection.ExpectAsync("presence.enter");
        await connection.SendAsync($$"""{"type":"ok","id":{{enter.GetProperty("id").GetInt64()}}}""");
        await entering;

        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: false);
        await second.ExpectAsync("subscribe");
        var reentry = await second.ExpectAsync("presence.enter");

        Assert.Equal("Ada", reentry.GetProperty("data").GetProperty("name").GetString());
    }
}
