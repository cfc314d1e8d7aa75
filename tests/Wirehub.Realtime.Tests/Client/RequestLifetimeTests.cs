using Wirehub.Realtime.Client;
using Wirehub.Realtime.Tests.Client.Support;

namespace Wirehub.Realtime.Tests.Client;

public class RequestLifetimeTests
{
    private static async Task<(RealtimeClient Client, FakeServerConnection Connection, StateRecorder States)> ConnectAsync(
        FakeWirehubServer server, Action<RealtimeClientOptions>? configure = null)
    {
        var client = TestClient.For(server, configure);
        var states = new StateRecorder(client);
        var connecting = client.ConnectAsync();
        var (connection, _) = await server.AcceptSessionAsync();
        await connecting;
        return (client, connection, states);
    }

    [Fact]
    public async Task Unanswered_request_times_out_and_is_not_sent_again_after_a_reconnect()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server, o => o.SendTimeout = TimeSpan.FromSeconds(1));
        await using var lifetime = client;

        var publishing = client.Channel("room:lobby").PublishAsync(1, "m-slow");
        await connection.ExpectAsync("publish");
        await Assert.ThrowsAsync<TimeoutException>(() => publishing);
        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: true);
        _ = client.Channel("room:lobby").GetMembersAsync();

        await second.ExpectAsync("presence.get");
    }

    [Fact]
    public async Task Cancelled_request_throws_OperationCanceledException()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        using var cancel = new CancellationTokenSource();

        var querying = client.Channel("room:lobby").HistoryAsync(cancellationToken: cancel.Token);
        await connection.ExpectAsync("history");
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => querying);
    }

    [Fact]
    public async Task Close_fails_requests_still_waiting()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);

        var querying = client.Channel("room:lobby").GetMembersAsync();
        await connection.ExpectAsync("presence.get");
        await client.CloseAsync();

        var error = await Assert.ThrowsAsync<RealtimeException>(() => querying);
        Assert.Equal(1000, error.Code);
    }

    [Fact]
    public async Task Close_from_a_message_handler_completes()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, states) = await ConnectAsync(server);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscribing = client.Channel("room:lobby").SubscribeAsync(_ =>
        {
            // Blocking on the close inside the handler: it must not wait for the loop that is running the handler.
            client.CloseAsync().Wait();
            closed.TrySetResult();
        });
        await connection.AnswerSubscribeAsync();
        await subscribing;

        await connection.PushMessageAsync("room:lobby", 1);
        await closed.Task.WaitAsync(FakeWirehubServer.Patience);

        Assert.Equal(RealtimeClientState.Closed, client.State);
        Assert.Equal((ushort?)1000, (await states.WaitForAsync(RealtimeClientState.Closed)).CloseCode);
    }

    [Fact]
    public async Task Requests_after_close_are_refused()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, _, _) = await ConnectAsync(server);
        await client.CloseAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Channel("room:lobby").PublishAsync(1));
    }

    [Fact]
    public async Task Subscribing_twice_adds_a_handler_without_a_second_subscribe()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var first = new Inbox<long>();
        var second = new Inbox<long>();
        var channel = client.Channel("room:lobby");

        var subscribing = channel.SubscribeAsync(m => first.Add(m.Serial));
        await connection.AnswerSubscribeAsync();
        await subscribing;
        await channel.SubscribeAsync(m => second.Add(m.Serial));
        await connection.PushMessageAsync("room:lobby", 1);
        await first.WaitForCountAsync(1);
        await second.WaitForCountAsync(1);
        _ = channel.GetMembersAsync();

        await connection.ExpectAsync("presence.get");
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_delivery()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var inbox = new Inbox<long>();
        var subscribing = client.Channel("room:lobby").SubscribeAsync(m =>
        {
            inbox.Add(m.Serial);
            throw new InvalidOperationException("application bug");
        });
        await connection.AnswerSubscribeAsync();
        await subscribing;

        await connection.PushMessageAsync("room:lobby", 1);
        await connection.PushMessageAsync("room:lobby", 2);

        Assert.Equal([1L, 2L], await inbox.WaitForCountAsync(2));
    }

    [Fact]
    public async Task Subscribe_in_flight_when_the_connection_drops_is_sent_again()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");

        var subscribing = channel.SubscribeAsync(_ => { });
        await connection.ExpectAsync("subscribe");
        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: true);
        await second.AnswerSubscribeAsync(serial: 5);
        await subscribing;

        Assert.Equal(new StreamPosition(5, "e1"), channel.Position);
    }

    [Fact]
    public async Task Unsubscribe_answered_404_after_a_reconnect_counts_as_done()
    {
        await using var server = await FakeWirehubServer.StartAsync();
        var (client, connection, _) = await ConnectAsync(server);
        await using var lifetime = client;
        var channel = client.Channel("room:lobby");
        var subscribing = channel.SubscribeAsync(_ => { });
        await connection.AnswerSubscribeAsync();
        await subscribing;

        var unsubscribing = channel.UnsubscribeAsync();
        await connection.ExpectAsync("unsubscribe");
        connection.Drop();
        var (second, _) = await server.AcceptSessionAsync(recovered: false);
        var unsubscribe = await second.ExpectAsync("unsubscribe");
        await second.SendAsync($$"""{"type":"error","id":{{unsubscribe.GetProperty("id").GetInt64()}},"code":404,"message":"not subscribed","retriable":false}""");

        await unsubscribing;
        Assert.False(channel.IsSubscribed);
    }
}
