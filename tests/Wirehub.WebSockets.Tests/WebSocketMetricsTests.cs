using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Wirehub.WebSockets.Tests.Support;

namespace Wirehub.WebSockets.Tests;

/// <summary>
/// The engine's metrics (meter <c>Wirehub.WebSockets</c>) follow what happens on server connections: opens and closes
/// by close code, refused handshakes by reason, messages and bytes in both directions, queued bytes and slow consumers.
/// </summary>
[Collection(MetricsCollection.Name)]
public class WebSocketMetricsTests
{
    private static Task<KestrelHost> StartEcho(Action<WebSocketServerOptions>? configure = null) =>
        KestrelHost.StartAsync(app => app.MapWebSocket("/ws", EchoHandler.RunAsync, options =>
        {
            options.PerMessageDeflate = null; // frame sizes on the wire are then exactly known
            configure?.Invoke(options);
        }));

    [Fact]
    public async Task Every_instrument_is_published_once_an_endpoint_is_mapped()
    {
        await using var host = await StartEcho();
        var reading = MeterReading.Take();
        foreach (var name in new[] { "connections.open", "connections.opened", "messages.received", "messages.sent",
                     "bytes.received", "bytes.sent", "send_queue.bytes", "slow_consumer.disconnects" })
            Assert.True(reading.Has(name), $"{name} is not published.");
    }

    [Fact]
    public async Task Opened_connection_is_counted_open_then_closed_under_its_close_code()
    {
        await using var host = await StartEcho();
        var before = MeterReading.Take();
        await using var client = new WebSocketClient(host.WebSocketUri());
        await client.ConnectAsync();
        await Eventually.Until(() => MeterReading.Take().Since(before, "connections.open") == 1, "the connection is counted open");
        Assert.Equal(1, MeterReading.Take().Since(before, "connections.opened"));

        await client.CloseAsync(4321, "done");
        await Eventually.Until(() => MeterReading.Take().Since(before, "connections.closed", "4321") == 1, "the close is counted under 4321");
        var after = MeterReading.Take();
        Assert.Equal(0, after.Since(before, "connections.open"));
        Assert.Equal(1, after.Since(before, "connections.opened"));
    }

    [Fact]
    public async Task Connection_dropped_without_a_close_frame_is_counted_under_1006()
    {
        await using var host = await StartEcho();
        var before = MeterReading.Take();
        var raw = await RawHttpConnection.ConnectAsync(host.Port);
        await raw.SendAsync(RawHttpConnection.UpgradeRequest(host.Port));
        Assert.Equal(101, (await raw.ReadHeadAsync()).StatusCode);
        await raw.DisposeAsync();
        await Eventually.Until(() => MeterReading.Take().Since(before, "connections.closed", "1006") == 1, "the drop is counted under 1006");
    }

    [Fact]
    public async Task Messages_and_frame_bytes_are_counted_in_both_directions()
    {
        await using var host = await StartEcho();
        await using var client = new WebSocketClient(host.WebSocketUri());
        await client.ConnectAsync();
        var before = MeterReading.Take();
        var payload = new byte[100];
        for (int i = 0; i < 10; i++)
        {
            await client.SendAsync(payload, MessageType.Binary);
            Assert.Equal(100, (await client.ReceiveAsync()).Data.Length);
        }
        // In: 10 masked frames of 2 + 4 + 100 bytes. Out: 10 unmasked frames of 2 + 100 bytes.
        await Eventually.Until(() => MeterReading.Take().Since(before, "bytes.sent") == 1020, "the echoes are counted as sent");
        var after = MeterReading.Take();
        Assert.Equal(10, after.Since(before, "messages.received"));
        Assert.Equal(10, after.Since(before, "messages.sent"));
        Assert.Equal(1060, after.Since(before, "bytes.received"));
    }

    [Theory]
    [InlineData("Sec-WebSocket-Version: 13", null, 400, "400")]
    [InlineData("Sec-WebSocket-Version: 12", "Sec-WebSocket-Key: " + RawHttpConnection.SampleKey, 426, "426")]
    [InlineData("Sec-WebSocket-Version: 13\r\nOrigin: https://evil.example", "Sec-WebSocket-Key: " + RawHttpConnection.SampleKey, 403, "403")]
    public async Task Refused_upgrade_is_counted_by_its_status(string versionAndMore, string? key, int status, string reason)
    {
        await using var host = await StartEcho(options => options.AllowedOrigins.Add("https://app.example"));
        var before = MeterReading.Take();
        await using var raw = await RawHttpConnection.ConnectAsync(host.Port);
        string request = $"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{host.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{versionAndMore}\r\n"
            + (key is null ? "" : key + "\r\n") + "\r\n";
        Assert.Equal(status, (await raw.ExchangeAsync(request)).StatusCode);
        Assert.Equal(1, MeterReading.Take().Since(before, "handshake.failures", reason));
    }

    [Fact]
    public async Task Request_head_too_large_is_counted_as_431()
    {
        await using var host = await KestrelHost.StartAsync(_ => { },
            listen: listen => listen.UseWebSocketServer((connection, _) => EchoHandler.RunAsync(connection), o => o.MaxRequestHeadBytes = 256));
        var before = MeterReading.Take();
        await using var raw = await RawHttpConnection.ConnectAsync(host.Port);
        var response = await raw.ExchangeAsync(RawHttpConnection.UpgradeRequest(host.Port, "/ws", "X-Padding: " + new string('a', 400)));
        Assert.Equal(431, response.StatusCode);
        Assert.Equal(1, MeterReading.Take().Since(before, "handshake.failures", "431"));
    }

    [Fact]
    public async Task Request_head_not_sent_in_time_is_counted_as_a_timeout()
    {
        await using var host = await KestrelHost.StartAsync(_ => { },
            listen: listen => listen.UseWebSocketServer((connection, _) => EchoHandler.RunAsync(connection),
                o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(200)));
        var before = MeterReading.Take();
        await using var raw = await RawHttpConnection.ConnectAsync(host.Port);
        await raw.SendAsync("GET /ws HTTP/1.1\r\n");
        await Eventually.Until(() => MeterReading.Take().Since(before, "handshake.failures", "timeout") == 1, "the timeout is counted");
    }

    [Fact]
    public async Task Connection_closed_on_accept_at_the_open_files_limit_is_counted_as_resource_limit()
    {
        await using var host = await KestrelHost.StartAsync(_ => { },
            listen: listen => listen.UseWebSocketServer((connection, _) => EchoHandler.RunAsync(connection)),
            services: services => services.AddEventLoopTransport());
        var before = MeterReading.Take();
        var clients = new List<System.Net.Sockets.Socket>();
        try
        {
            // Every descriptor opened from here on falls in the headroom the transport leaves to the rest of the process.
            using (OpenFilesLimit.LowerTo((ulong)(OpenFilesLimit.LowestFree() + EventLoopListener.DescriptorHeadroom)))
            {
                var client = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(System.Net.IPAddress.Loopback, host.Port);
                await Eventually.Until(() => MeterReading.Take().Since(before, "handshake.failures", "resource-limit") == 1,
                    "the refused connection is counted");
            }
            // Closed by the server at once: the client reads the end of the stream.
            var buffer = new byte[16];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(0, await clients[0].ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task Slow_consumer_cut_with_1008_is_counted()
    {
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await KestrelHost.StartAsync(app => app.MapWebSocket("/ws", async connection =>
        {
            var chunk = new byte[64 * 1024];
            try
            {
                for (int i = 0; i < 2048; i++) await connection.SendAsync(chunk, MessageType.Binary);
            }
            catch (WebSocketSendQueueFullException)
            {
                cut.TrySetResult();
            }
            await connection.ReceiveAsync();
        }, options =>
        {
            options.SendQueueLimit = 256 * 1024;
            options.SendQueueFullPolicy = SendQueueFullPolicy.Close;
        }));
        var before = MeterReading.Take();
        // The client completes the handshake and then reads nothing.
        await using var raw = await RawHttpConnection.ConnectAsync(host.Port);
        await raw.SendAsync(RawHttpConnection.UpgradeRequest(host.Port));
        Assert.Equal(101, (await raw.ReadHeadAsync()).StatusCode);
        await cut.Task.WaitAsync(RawPeer.Patience);
        Assert.Equal(1, MeterReading.Take().Since(before, "slow_consumer.disconnects"));
    }

    [Fact]
    public async Task Bytes_waiting_for_a_peer_that_does_not_read_are_reported_until_it_goes()
    {
        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await KestrelHost.StartAsync(app => app.MapWebSocket("/ws", async connection =>
        {
            var chunk = new byte[256 * 1024];
            // With this limit nothing waits: sends pile up in the queue while the peer reads nothing.
            for (int i = 0; i < 64; i++) _ = connection.SendAsync(chunk, MessageType.Binary);
            queued.TrySetResult();
            await connection.ReceiveAsync();
        }, options =>
        {
            options.PerMessageDeflate = null;
            options.SendQueueLimit = 64L * 1024 * 1024;
        }));
        var raw = await RawHttpConnection.ConnectAsync(host.Port);
        await raw.SendAsync(RawHttpConnection.UpgradeRequest(host.Port));
        Assert.Equal(101, (await raw.ReadHeadAsync()).StatusCode);
        await queued.Task.WaitAsync(RawPeer.Patience);
        // 16 MiB were sent; socket buffers hold a few of them at most, the rest waits in the engine.
        long queuedBytes = MeterReading.Take()["send_queue.bytes"];
        Assert.True(queuedBytes >= 1024 * 1024, $"Only {queuedBytes} bytes are reported queued.");

        await raw.DisposeAsync();
        await Eventually.Until(() => MeterReading.Take()["send_queue.bytes"] <= queuedBytes - 1024 * 1024,
            "the dropped connection's queue is no longer counted");
    }
}
