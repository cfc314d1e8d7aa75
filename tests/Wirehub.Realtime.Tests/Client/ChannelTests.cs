using System.Text.Json;
using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Client.Support;

namespace Wirehub.Realtime.Tests.Client;

public class ChannelTests
{
    private static async Task<(RealtimeClient Client, FakeServerConnection Connection)> ConnectAsync(FakeWirehubServer server)
    {
        var client = TestClient.For(server);
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync();
        await connecting;
        return (client, connection);
    }

    [Fact]
    public async Task Subscribe_sends_subscribe_and_completes_on_subscribed()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");

        var subscribing = channel.SubscribeAsync(_ => { });
        var subscribe = await connection.AnswerSubscribeAsync(serial: 41, epoch: "h3k9x");
        await subscribing;

        Assert.Equal("room:lobby", subscribe.GetProperty("channel").GetString());
        Assert.True(channel.IsSubscribed);
        Assert.Equal(new StreamPosition(41, "h3k9x"), channel.Position);
    }

    [Fact]
    public async Task Pushed_messages_reach_the_handler_with_every_field()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        var subscribing = client.Channel("room:lobby").SubscribeAsync(inbox.Add);
        await connection.AnswerSubscribeAsync(serial: 44, epoch: "h3k9x");
        await subscribing;

        await connection.PushMessageAsync("room:lobby", 45, "h3k9x", "hello");
        var message = (await inbox.WaitForCountAsync(1))[0];

        Assert.Equal(("room:lobby", 45L, "h3k9x", "m-45"), (message.Channel, message.Serial, message.Epoch, message.Id));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764000000000), message.Time);
        Assert.Equal(new PublisherIdentity("c-pub", "k-pub"), message.Publisher);
        Assert.Equal("hello", message.Data.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Messages_of_other_channels_are_not_delivered()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        var subscribing = client.Channel("room:lobby").SubscribeAsync(inbox.Add);
        await connection.AnswerSubscribeAsync();
        await subscribing;

        await connection.PushMessageAsync("room:other", 1);
        await connection.PushMessageAsync("room:lobby", 1);
        var messages = await inbox.WaitForCountAsync(1);

        Assert.Equal("room:lobby", Assert.Single(messages).Channel);
    }

    [Fact]
    public async Task Channel_name_written_with_json_escapes_still_finds_its_channel()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        var subscribing = client.Channel("room:lobby").SubscribeAsync(inbox.Add);
        await connection.AnswerSubscribeAsync();
        await subscribing;

        await connection.SendAsync("""
            {"type":"message","channel":"room\u003alobby","serial":1,"epoch":"e1","id":"m-1","time":1,"data":null}
            """);
        var message = (await inbox.WaitForCountAsync(1))[0];

        Assert.Equal("room:lobby", message.Channel);
    }

    [Fact]
    public async Task Publish_acks_are_matched_to_their_request_by_id()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");

        var first = channel.PublishAsync(new { text = "one" }, "m-one");
        var second = channel.PublishAsync(new { text = "two" }, "m-two");
        var p1 = await connection.ExpectAsync("publish");
        var p2 = await connection.ExpectAsync("publish");
        // Answered in the opposite order: only the id ties an ack to its publish.
        await connection.SendAsync($$"""{"type":"ack","id":{{p2.GetProperty("id").GetInt64()}},"channel":"room:lobby","serial":8,"epoch":"e1","messageId":"m-two"}""");
        await connection.SendAsync($$"""{"type":"ack","id":{{p1.GetProperty("id").GetInt64()}},"channel":"room:lobby","serial":9,"epoch":"e1","messageId":"m-one"}""");

        Assert.Equal(new PublishAck("room:lobby", 9, "e1", "m-one"), await first);
        Assert.Equal(new PublishAck("room:lobby", 8, "e1", "m-two"), await second);
        Assert.NotEqual(p1.GetProperty("id").GetInt64(), p2.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Publish_sends_channel_data_and_messageId()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;

        _ = client.Channel("room:lobby").PublishAsync(new { text = "hi" }, "m-1f4");
        var publish = await connection.ExpectAsync("publish");

        Assert.Equal("room:lobby", publish.GetProperty("channel").GetString());
        Assert.Equal("hi", publish.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("m-1f4", publish.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Publish_without_a_messageId_gets_a_generated_one()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");

        _ = channel.PublishAsync(JsonDocument.Parse("42").RootElement);
        _ = channel.PublishAsync(JsonDocument.Parse("43").RootElement);
        string first = (await connection.ExpectAsync("publish")).GetProperty("messageId").GetString()!;
        string second = (await connection.ExpectAsync("publish")).GetProperty("messageId").GetString()!;

        Assert.InRange(first.Length, 1, 64);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Server_error_surfaces_as_RealtimeException_with_code_message_and_retriable()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;

        var publishing = client.Channel("room:lobby").PublishAsync(new { text = "hi" });
        var publish = await connection.ExpectAsync("publish");
        await connection.SendAsync($$"""
            {"type":"error","id":{{publish.GetProperty("id").GetInt64()}},"code":429,"message":"Publish rate exceeded: at most 50 messages per second.","retriable":true}
            """);
        var error = await Assert.ThrowsAsync<RealtimeException>(() => publishing);

        Assert.Equal((429, true), (error.Code, error.Retriable));
        Assert.Equal("Publish rate exceeded: at most 50 messages per second.", error.Message);
    }

    [Fact]
    public async Task Refused_subscribe_fails_and_leaves_the_channel_unsubscribed()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("news:today");

        var subscribing = channel.SubscribeAsync(_ => { });
        var subscribe = await connection.ExpectAsync("subscribe");
        await connection.SendAsync($$"""{"type":"error","id":{{subscribe.GetProperty("id").GetInt64()}},"code":403,"message":"not allowed","retriable":false}""");
        var error = await Assert.ThrowsAsync<RealtimeException>(() => subscribing);

        Assert.Equal((403, false), (error.Code, error.Retriable));
        Assert.False(channel.IsSubscribed);
    }

    [Fact]
    public async Task Unsubscribe_sends_unsubscribe_and_stops_delivery()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<ChannelMessage>();
        var channel = client.Channel("room:lobby");
        var subscribing = channel.SubscribeAsync(inbox.Add);
        await connection.AnswerSubscribeAsync();
        await subscribing;

        var unsubscribing = channel.UnsubscribeAsync();
        var unsubscribe = await connection.ExpectAsync("unsubscribe");
        await connection.SendAsync($$"""{"type":"unsubscribed","id":{{unsubscribe.GetProperty("id").GetInt64()}},"channel":"room:lobby"}""");
        await unsubscribing;
        await connection.PushMessageAsync("room:lobby", 1);
        // A later reply proves the push before it was read and handled.
        var history = channel.HistoryAsync();
        var request = await connection.ExpectAsync("history");
        await connection.SendAsync($$"""{"type":"history","id":{{request.GetProperty("id").GetInt64()}},"channel":"room:lobby","position":{"serial":1,"epoch":"e1"},"messages":[]}""");
        await history;

        Assert.Empty(inbox.Items);
        Assert.False(channel.IsSubscribed);
    }

    [Fact]
    public async Task History_sends_limit_direction_and_since_and_reads_the_messages()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;

        var querying = client.Channel("room:lobby").HistoryAsync(50, HistoryDirection.Backward, new StreamPosition(10, "h3k9x"));
        var request = await connection.ExpectAsync("history");
        await connection.SendAsync($$"""
            {"type":"history","id":{{request.GetProperty("id").GetInt64()}},"channel":"room:lobby","position":{"serial":12,"epoch":"h3k9x"},
             "messages":[{"serial":12,"epoch":"h3k9x","id":"m-12","time":5,"data":"b"},{"serial":11,"epoch":"h3k9x","id":"m-11","time":4,"data":"a"}]}
            """);
        var page = await querying;

        Assert.Equal((50, "backward"), (request.GetProperty("limit").GetInt32(), request.GetProperty("direction").GetString()));
        Assert.Equal((10L, "h3k9x"), (request.GetProperty("since").GetProperty("serial").GetInt64(), request.GetProperty("since").GetProperty("epoch").GetString()));
        Assert.Equal(new StreamPosition(12, "h3k9x"), page.Position);
        Assert.Equal([12L, 11L], page.Messages.Select(m => m.Serial));
        Assert.Equal(["b", "a"], page.Messages.Select(m => m.Data.GetString()));
        Assert.All(page.Messages, m => Assert.Equal("room:lobby", m.Channel));
    }

    [Fact]
    public async Task History_that_can_no_longer_reach_since_fails_with_410_continuity_lost()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;

        var querying = client.Channel("room:lobby").HistoryAsync(since: new StreamPosition(1, "old"));
        var request = await connection.ExpectAsync("history");
        await connection.SendAsync($$"""{"type":"error","id":{{request.GetProperty("id").GetInt64()}},"code":410,"reason":"continuity_lost","message":"gone","retriable":false}""");
        var error = await Assert.ThrowsAsync<RealtimeException>(() => querying);

        Assert.Equal((410, "continuity_lost"), (error.Code, error.Reason));
    }

    [Fact]
    public async Task Presence_enter_update_and_leave_send_their_requests_and_complete_on_ok()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");
        var sent = new List<JsonElement>();

        foreach (var step in new Func<Task>[]
                 {
                     () => channel.EnterAsync(new { name = "Ada" }),
                     () => channel.UpdateAsync(new { name = "Ada L." }),
                     () => channel.LeaveAsync(),
                 })
        {
            var task = step();
            var request = await connection.NextAsync();
            await connection.SendAsync($$"""{"type":"ok","id":{{request.GetProperty("id").GetInt64()}}}""");
            await task;
            sent.Add(request);
        }

        Assert.Equal(["presence.enter", "presence.update", "presence.leave"], sent.Select(r => r.GetProperty("type").GetString()));
        Assert.Equal("Ada", sent[0].GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("Ada L.", sent[1].GetProperty("data").GetProperty("name").GetString());
        Assert.False(sent[2].TryGetProperty("data", out var _));
    }

    [Fact]
    public async Task GetMembers_reads_the_presence_set()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;

        var getting = client.Channel("room:lobby").GetMembersAsync();
        var request = await connection.ExpectAsync("presence.get");
        await connection.SendAsync($$"""
            {"type":"presence","id":{{request.GetProperty("id").GetInt64()}},"channel":"room:lobby",
             "members":[{"clientId":"c-7f2","connectionId":"k-91a","data":{"name":"Ada"} }]}
            """);
        var member = Assert.Single(await getting);

        Assert.Equal(("c-7f2", "k-91a", "Ada"), (member.ClientId, member.ConnectionId, member.Data.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Presence_events_raise_PresenceChanged_on_a_subscribed_channel()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");
        var events = new Inbox<PresenceChangedEventArgs>();
        channel.PresenceChanged += (_, e) => events.Add(e);
        var subscribing = channel.SubscribeAsync(_ => { });
        await connection.AnswerSubscribeAsync();
        await subscribing;

        await connection.SendAsync("""
            {"type":"presence.event","channel":"room:lobby","action":"enter","member":{"clientId":"c-7f2","connectionId":"k-91a","data":{"name":"Ada"}}}
            """);
        await connection.SendAsync("""
            {"type":"presence.event","channel":"room:lobby","action":"leave","member":{"clientId":"c-7f2","connectionId":"k-91a"}}
            """);
        var received = await events.WaitForCountAsync(2);

        Assert.Equal([PresenceAction.Enter, PresenceAction.Leave], received.Select(e => e.Action));
        Assert.Equal("Ada", received[0].Member.Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Requests_made_before_connecting_are_sent_once_connected()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        await using var client = TestClient.For(server);

        var publishing = client.Channel("room:lobby").PublishAsync(new { text = "early" }, "m-early");
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync();
        await connecting;
        var publish = await connection.ExpectAsync("publish");
        await connection.SendAsync($$"""{"type":"ack","id":{{publish.GetProperty("id").GetInt64()}},"channel":"room:lobby","serial":1,"epoch":"e1","messageId":"m-early"}""");

        Assert.Equal(1, (await publishing).Serial);
    }
}
