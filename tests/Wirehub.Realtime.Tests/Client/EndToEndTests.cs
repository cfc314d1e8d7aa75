using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Client.Support;

namespace Wirehub.Realtime.Tests.Client;

/// <summary>The SDK against the real server: <c>MapWirehub</c> on Kestrel.</summary>
public class EndToEndTests
{
    private static async Task<RealtimeClient> ConnectAsync(Uri url, string? clientId = null)
    {
        var client = new RealtimeClient(url, new RealtimeClientOptions
        {
            ClientId = clientId,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        });
        await client.ConnectAsync();
        return client;
    }

    [Fact]
    public async Task Connect_gets_a_client_id_and_a_connection_id()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var client = await ConnectAsync(server.Url, clientId: "ada");

        Assert.Equal(RealtimeClientState.Connected, client.State);
        Assert.Equal("ada", client.ClientId);
        Assert.False(string.IsNullOrEmpty(client.ConnectionId));
    }

    [Fact]
    public async Task Published_message_reaches_a_subscriber_with_the_acked_serial()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var subscriber = await ConnectAsync(server.Url);
        await using var publisher = await ConnectAsync(server.Url, clientId: "pub");
        var inbox = new Inbox<ChannelMessage>();
        await subscriber.Channel("room:lobby").SubscribeAsync(inbox.Add);

        var ack = await publisher.Channel("room:lobby").PublishAsync(new { text = "hi" }, "m-1f4");
        var message = (await inbox.WaitForCountAsync(1))[0];

        Assert.Equal((ack.Serial, ack.Epoch, "m-1f4"), (message.Serial, message.Epoch, message.Id));
        Assert.Equal("hi", message.Data.GetProperty("text").GetString());
        Assert.Equal("pub", message.Publisher?.ClientId);
    }

    [Fact]
    public async Task Publish_repeated_with_the_same_messageId_is_published_once()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var client = await ConnectAsync(server.Url);
        var channel = client.Channel("room:lobby");

        var first = await channel.PublishAsync(new { n = 1 }, "m-same");
        var again = await channel.PublishAsync(new { n = 1 }, "m-same");
        var history = await channel.HistoryAsync();

        Assert.Equal(first.Serial, again.Serial);
        Assert.Single(history.Messages);
    }

    [Fact]
    public async Task History_returns_published_messages_in_the_requested_direction()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var client = await ConnectAsync(server.Url);
        var channel = client.Channel("room:history");
        for (int i = 1; i <= 3; i++) await channel.PublishAsync(new { n = i });

        var backward = await channel.HistoryAsync(limit: 2, direction: HistoryDirection.Backward);

        Assert.Equal([3, 2], backward.Messages.Select(m => m.Data.GetProperty("n").GetInt32()));
        Assert.Equal(3, backward.Position.Serial);
    }

    [Fact]
    public async Task Presence_enter_is_seen_by_other_subscribers_and_listed_by_GetMembers()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var watcher = await ConnectAsync(server.Url);
        await using var member = await ConnectAsync(server.Url, clientId: "ada");
        var events = new Inbox<PresenceChangedEventArgs>();
        var watched = watcher.Channel("room:lobby");
        watched.PresenceChanged += (_, e) => events.Add(e);
        await watched.SubscribeAsync(_ => { });
        var entering = member.Channel("room:lobby");
        await entering.SubscribeAsync(_ => { });

        await entering.EnterAsync(new { name = "Ada" });
        var seen = (await events.WaitForCountAsync(1))[0];
        var members = await watched.GetMembersAsync();

        Assert.Equal((PresenceAction.Enter, "ada"), (seen.Action, seen.Member.ClientId));
        Assert.Equal("Ada", Assert.Single(members).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Oversized_publish_fails_with_413()
    {
        await using var server = await WirehubHost.StartAsync(o => o.MaxMessageSize = 1024);
        await using var client = await ConnectAsync(server.Url);

        var error = await Assert.ThrowsAsync<RealtimeException>(() => client.Channel("room:lobby").PublishAsync(new string('x', 2000)));

        Assert.Equal((413, false), (error.Code, error.Retriable));
    }

    [Fact]
    public async Task Messages_published_while_a_subscriber_was_cut_off_arrive_once_and_in_order_after_recovery()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var relay = new TcpRelay(server.Port);
        await using var subscriber = await ConnectAsync(relay.Url());
        await using var publisher = await ConnectAsync(server.Url);
        var states = new StateRecorder(subscriber);
        var inbox = new Inbox<long>();
        await subscriber.Channel("room:lobby").SubscribeAsync(m => inbox.Add(m.Serial));
        var lost = new Inbox<ContinuityLostEventArgs>();
        subscriber.Channel("room:lobby").ContinuityLost += (_, e) => lost.Add(e);
        var channel = publisher.Channel("room:lobby");
        await channel.PublishAsync(new { n = 1 });
        await inbox.WaitForCountAsync(1);

        relay.CutAll();
        await states.WaitForAsync(RealtimeClientState.Reconnecting);
        for (int i = 2; i <= 4; i++) await channel.PublishAsync(new { n = i });
        await states.WaitForAsync(RealtimeClientState.Connected);
        await channel.PublishAsync(new { n = 5 });
        var delivered = await inbox.WaitForCountAsync(5);

        Assert.Equal([1L, 2L, 3L, 4L, 5L], delivered);
        Assert.Empty(lost.Items);
    }

    [Fact]
    public async Task Server_restarted_after_a_crash_reports_ContinuityLost_and_delivery_resumes()
    {
        var server = await WirehubHost.StartAsync();
        int port = server.Port;
        await using var subscriber = await ConnectAsync(server.Url);
        var states = new StateRecorder(subscriber);
        var inbox = new Inbox<ChannelMessage>();
        var lost = new Inbox<ContinuityLostEventArgs>();
        var channel = subscriber.Channel("room:lobby");
        channel.ContinuityLost += (_, e) => lost.Add(e);
        await channel.SubscribeAsync(inbox.Add);
        await using (var publisher = await ConnectAsync(server.Url))
        {
            await publisher.Channel("room:lobby").PublishAsync(new { n = 1 });
            await inbox.WaitForCountAsync(1);
        }

        await server.CrashAsync();
        await states.WaitForAsync(RealtimeClientState.Reconnecting);
        await using var restarted = await WirehubHost.StartAsync(port: port);
        var args = (await lost.WaitForCountAsync(1))[0];
        await using var publisherAfter = await ConnectAsync(restarted.Url);
        await publisherAfter.Channel("room:lobby").PublishAsync(new { n = 2 });
        var delivered = await inbox.WaitForCountAsync(2);
        await subscriber.CloseAsync(); // before the restarted server stops, which would otherwise wait for it

        Assert.Equal(new StreamPosition(1, inbox.Items[0].Epoch), args.LastProcessed);
        Assert.NotEqual(inbox.Items[0].Epoch, args.ResumedAt.Epoch);
        Assert.Equal(2, delivered[1].Data.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Publish_whose_ack_was_lost_is_retried_after_reconnecting_and_published_once()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var relay = new TcpRelay(server.Port);
        await using var subscriber = await ConnectAsync(server.Url);
        await using var publisher = await ConnectAsync(relay.Url());
        var inbox = new Inbox<ChannelMessage>();
        await subscriber.Channel("room:lobby").SubscribeAsync(inbox.Add);

        relay.LoseServerBytes();
        var publishing = publisher.Channel("room:lobby").PublishAsync(new { text = "once" });
        var published = (await inbox.WaitForCountAsync(1))[0]; // it reached the server; its ack will not reach the publisher
        relay.CutAll();
        var ack = await publishing;
        // A later message proves nothing else was delivered in between.
        await publisher.Channel("room:lobby").PublishAsync(new { text = "next" });
        var delivered = await inbox.WaitForCountAsync(2);

        Assert.Equal((published.Serial, published.Id), (ack.Serial, ack.MessageId));
        Assert.Equal(["once", "next"], delivered.Select(m => m.Data.GetProperty("text").GetString()));
    }
}
