using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Client.Support;

namespace Wirehub.Realtime.Tests.MessagePack;

/// <summary>The .NET SDK with <see cref="RealtimeEncoding.MessagePack"/> against the real server.</summary>
public class SdkOverMessagePackTests
{
    private static async Task<RealtimeClient> ConnectAsync(Uri url, RealtimeEncoding encoding = RealtimeEncoding.MessagePack, string? clientId = null)
    {
        var client = new RealtimeClient(url, new RealtimeClientOptions
        {
            Encoding = encoding,
            ClientId = clientId,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        });
        await client.ConnectAsync();
        return client;
    }

    [Fact]
    public async Task A_MessagePack_client_offers_only_wirehub_v1_msgpack()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/connection");
        var client = new RealtimeClient(url, new RealtimeClientOptions { Encoding = RealtimeEncoding.MessagePack });
        var connecting = client.ConnectAsync();

        using var socket = await listener.AcceptSocketAsync();
        var head = new StringBuilder();
        var buffer = new byte[1024];
        while (!head.ToString().Contains("\r\n\r\n"))
        {
            int read = await socket.ReceiveAsync(buffer);
            if (read == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        await socket.SendAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        socket.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => connecting);
        await client.DisposeAsync();

        var offered = head.ToString().Split("\r\n").Single(line => line.StartsWith("Sec-WebSocket-Protocol:", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("wirehub.v1.msgpack", offered["Sec-WebSocket-Protocol:".Length..].Trim());
    }

    [Fact]
    public async Task Published_message_reaches_a_subscriber_with_the_acked_serial()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var subscriber = await ConnectAsync(server.Url);
        await using var publisher = await ConnectAsync(server.Url, clientId: "pub");
        var inbox = new Inbox<ChannelMessage>();
        await subscriber.Channel("room:lobby").SubscribeAsync(inbox.Add);

        var ack = await publisher.Channel("room:lobby").PublishAsync(new { text = "hi", ratio = 2.5, tags = new[] { "a", "é" } }, "m-1f4");
        var message = (await inbox.WaitForCountAsync(1))[0];

        Assert.Equal((ack.Serial, ack.Epoch, "m-1f4", "pub"), (message.Serial, message.Epoch, message.Id, message.Publisher?.ClientId));
        Assert.Equal("hi", message.Data.GetProperty("text").GetString());
        Assert.Equal(2.5, message.Data.GetProperty("ratio").GetDouble());
        Assert.Equal(["a", "é"], message.Data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData(RealtimeEncoding.Json, RealtimeEncoding.MessagePack)]
    [InlineData(RealtimeEncoding.MessagePack, RealtimeEncoding.Json)]
    public async Task Messages_cross_encodings_in_order_with_the_same_data(RealtimeEncoding publishing, RealtimeEncoding subscribing)
    {
        await using var server = await WirehubHost.StartAsync();
        await using var subscriber = await ConnectAsync(server.Url, subscribing);
        await using var publisher = await ConnectAsync(server.Url, publishing);
        var inbox = new Inbox<ChannelMessage>();
        await subscriber.Channel("room:mixed").SubscribeAsync(inbox.Add);

        for (int n = 1; n <= 10; n++) await publisher.Channel("room:mixed").PublishAsync(new { n, half = n / 2.0, text = $"№{n}" });
        var delivered = await inbox.WaitForCountAsync(10);

        Assert.Equal(Enumerable.Range(1, 10), delivered.Select(m => m.Data.GetProperty("n").GetInt32()));
        Assert.Equal(Enumerable.Range(1, 10).Select(n => n / 2.0), delivered.Select(m => m.Data.GetProperty("half").GetDouble()));
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"№{n}"), delivered.Select(m => m.Data.GetProperty("text").GetString()));
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
        await using var publisher = await ConnectAsync(server.Url, RealtimeEncoding.Json);
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
    public async Task Publish_whose_ack_was_lost_is_retried_after_reconnecting_and_published_once()
    {
        await using var server = await WirehubHost.StartAsync();
        await using var relay = new TcpRelay(server.Port);
        await using var subscriber = await ConnectAsync(server.Url, RealtimeEncoding.Json);
        await using var publisher = await ConnectAsync(relay.Url());
        var inbox = new Inbox<ChannelMessage>();
        await subscriber.Channel("room:lobby").SubscribeAsync(inbox.Add);

        relay.LoseServerBytes();
        var publishing = publisher.Channel("room:lobby").PublishAsync(new { text = "once" });
        var published = (await inbox.WaitForCountAsync(1))[0];
        relay.CutAll();
        var ack = await publishing;
        await publisher.Channel("room:lobby").PublishAsync(new { text = "next" });
        var delivered = await inbox.WaitForCountAsync(2);

        Assert.Equal((published.Serial, published.Id), (ack.Serial, ack.MessageId));
        Assert.Equal(["once", "next"], delivered.Select(m => m.Data.GetProperty("text").GetString()));
    }
}
