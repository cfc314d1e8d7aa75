using System.Net.Sockets;
using System.Text;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class WebSocketEngineOptionsTests
{
    [Fact]
    public async Task Configured_keep_alive_pings_reach_a_silent_realtime_connection()
    {
        await using var server = await RealtimeServer.StartAsync(o => o.ConfigureWebSocket = ws => ws.KeepAliveInterval = TimeSpan.FromMilliseconds(100));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /connection HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: wirehub.v1\r\n\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new List<byte>();
        var buffer = new byte[1024];
        int headEnd = -1;
        // The default keep-alive (30 s) would send nothing before the deadline; the configured one pings after 100 ms of silence.
        while (true)
        {
            int n = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, n);
            received.AddRange(buffer.AsSpan(0, n));
            if (headEnd < 0)
            {
                headEnd = Encoding.ASCII.GetString(received.ToArray()).IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd < 0) continue;
                Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(received.ToArray()));
                headEnd += 4;
            }
            if (received.Count > headEnd)
            {
                Assert.Equal(0x89, received[headEnd]); // FIN + ping (RFC 6455 §5.5.2)
                return;
            }
        }
    }
}
