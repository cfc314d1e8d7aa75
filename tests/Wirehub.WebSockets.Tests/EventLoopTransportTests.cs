using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// The event-loop transport (<c>AddEventLoopTransport</c>) under what stresses a transport: output larger than the
/// socket buffers, input faster than the handler, sends from other threads, aborts, and descriptors given back.
/// Clients are .NET's <see cref="ClientWebSocket"/>.
/// </summary>
public sealed class EventLoopTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static Task<KestrelHost> Start(Func<WebSocketConnection, WebSocketRequest, Task> handler,
        Action<WebSocketServerOptions>? configure = null) =>
        KestrelHost.StartAsync(_ => { }, listen: listen => listen.UseWebSocketServer(handler, configure),
            services: services => services.AddEventLoopTransport());

    private static async Task<ClientWebSocket> ConnectAsync(KestrelHost host)
    {
        var client = new ClientWebSocket();
        client.Options.DangerousDeflateOptions = null;
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(host.WebSocketUri(), timeout.Token);
        return client;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(ClientWebSocket client)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var data = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return (result.MessageType, data.ToArray());
        }
    }

    private static async Task SendTextAsync(ClientWebSocket client, string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    [Fact]
    public async Task A_message_larger_than_the_socket_buffers_is_echoed_whole()
    {
        await using var host = await Start((connection, _) => EchoHandler.RunAsync(connection),
            options => options.MaxMessageSize = 32 * 1024 * 1024);
        using var client = await ConnectAsync(host);
        var payload = new byte[12 * 1024 * 1024];
        new Random(6455).NextBytes(payload);

        // Sent while the echo comes back: the server's output waits for writability and its input for the handler.
        var sending = client.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
        var (type, echoed) = await ReceiveAsync(client);
        await sending;

        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.True(payload.AsSpan().SequenceEqual(echoed), "the echoed message differs from the one sent");
    }

    [Fact]
    public async Task Many_connections_each_get_their_own_messages_back_in_order()
    {
        await using var host = await Start((connection, _) => EchoHandler.RunAsync(connection));

        await Task.WhenAll(Enumerable.Range(0, 48).Select(async index =>
        {
            using var client = await ConnectAsync(host);
            for (int i = 0; i < 50; i++) await SendTextAsync(client, $"{index}:{i}");
            for (int i = 0; i < 50; i++)
                Assert.Equal($"{index}:{i}", Encoding.UTF8.GetString((await ReceiveAsync(client)).Data));
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }));
    }

    [Fact]
    public async Task A_send_from_another_thread_reaches_the_client()
    {
        await using var host = await Start(async (connection, _) =>
        {
            await connection.ReceiveAsync();
            // Off the event loop: sent at once on the sending thread.
            await Task.Run(async () => await connection.SendTextAsync("from the thread pool"));
            await connection.ReceiveAsync();
        });
        using var client = await ConnectAsync(host);

        await SendTextAsync(client, "go");

        Assert.Equal("from the thread pool", Encoding.UTF8.GetString((await ReceiveAsync(client)).Data));
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_hold_up_the_others()
    {
        var stalledFilled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await Start(async (connection, request) =>
        {
            if (request.Path == "/stalled")
            {
                // Far more than the socket buffers take while the client reads nothing.
                var chunk = new byte[256 * 1024];
                for (int i = 0; i < 64; i++)
                {
                    var send = connection.SendAsync(chunk, MessageType.Binary).AsTask();
                    if (!send.IsCompleted) stalledFilled.TrySetResult();
                    await send;
                }
                return;
            }
            await EchoHandler.RunAsync(connection);
        }, options => options.SendQueueLimit = 1024 * 1024);
        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(host.WebSocketUri("/stalled"), CancellationToken.None);
        await stalledFilled.Task.WaitAsync(Timeout);

        using var client = await ConnectAsync(host);
        await SendTextAsync(client, "still served");

        Assert.Equal("still served", Encoding.UTF8.GetString((await ReceiveAsync(client)).Data));
        stalled.Abort();
    }

    [Fact]
    public async Task An_aborted_connection_ends_for_the_client()
    {
        await using var host = await Start(async (connection, _) =>
        {
            await connection.ReceiveAsync();
            connection.Abort();
        });
        using var client = await ConnectAsync(host);

        await SendTextAsync(client, "abort me");

        await Assert.ThrowsAnyAsync<WebSocketException>(async () => await ReceiveAsync(client));
    }

    [Fact]
    public async Task Closed_connections_give_their_descriptors_back()
    {
        await using var host = await Start((connection, _) => EchoHandler.RunAsync(connection));
        using (var warmup = await ConnectAsync(host))
            await warmup.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        int before = Directory.GetFileSystemEntries("/proc/self/fd").Length;

        for (int round = 0; round < 5; round++)
        {
            var clients = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => ConnectAsync(host)));
            await Task.WhenAll(clients.Select(c => c.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)));
            foreach (var client in clients) client.Dispose();
        }

        // The server closes each descriptor once Kestrel is done with its connection; the clients' are closed above.
        await Eventually.Until(() => Directory.GetFileSystemEntries("/proc/self/fd").Length <= before + 5,
            $"the process's descriptors back to about {before} after 200 connections came and went");
    }

    [Fact]
    public async Task Stopping_the_host_closes_its_open_connections()
    {
        var host = await Start((connection, _) => EchoHandler.RunAsync(connection));
        using var client = await ConnectAsync(host);
        await SendTextAsync(client, "hello");
        await ReceiveAsync(client);

        await host.DisposeAsync();

        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[16];
        var ended = await Record.ExceptionAsync(async () =>
        {
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        });
        Assert.True(ended is null or WebSocketException, $"the connection did not end: {ended}");
    }
}
