using System.Net.Sockets;
using System.Text;
using Wirehub.Cli.Bench;

namespace Wirehub.Bench.Tests.Handshake;

public class ClientHandshakeTests
{
    private static readonly byte[] s_firstFrame = [0x81, 0x02, (byte)'h', (byte)'i'];

    private static (BenchTarget Target, UpgradeRequest Request) For(ScriptedServer server)
    {
        BenchTarget target = BenchTarget.Resolve(server.Url);
        return (target, new UpgradeRequest(target));
    }

    [Fact]
    public void Bytes_after_the_response_head_are_handed_back_as_frames()
    {
        using ScriptedServer server = new(key => [.. ScriptedServer.Accept(key), .. s_firstFrame]);
        (BenchTarget target, UpgradeRequest request) = For(server);
        byte[] buffer = new byte[ClientHandshake.MinimumBufferSize];

        (Socket socket, int frameBytes) = ClientHandshake.Open(target, request, buffer);
        using (socket)
        {
            Assert.True(socket.Connected);
            Assert.True(socket.NoDelay);
            Assert.Equal(s_firstFrame, buffer[..frameBytes]);
        }
    }

    [Fact]
    public async Task Asynchronous_open_hands_back_the_same_frame_bytes()
    {
        using ScriptedServer server = new(key => [.. ScriptedServer.Accept(key), .. s_firstFrame]);
        (BenchTarget target, UpgradeRequest request) = For(server);
        byte[] buffer = new byte[ClientHandshake.MinimumBufferSize];

        (Socket socket, int frameBytes) = await ClientHandshake.OpenAsync(target, request, buffer, CancellationToken.None);
        using (socket)
        {
            Assert.Equal(s_firstFrame, buffer[..frameBytes]);
        }
    }

    [Fact]
    public void Response_with_nothing_after_it_leaves_no_frame_bytes()
    {
        using ScriptedServer server = new(ScriptedServer.Accept);
        (BenchTarget target, UpgradeRequest request) = For(server);

        (Socket socket, int frameBytes) = ClientHandshake.Open(target, request, new byte[ClientHandshake.MinimumBufferSize]);
        using (socket)
        {
            Assert.Equal(0, frameBytes);
        }
    }

    [Fact]
    public void Server_closing_during_the_handshake_fails_as_a_handshake_error()
    {
        using ScriptedServer server = new(_ => "HTTP/1.1 101 Switching"u8.ToArray(), closeAfterAnswer: true);
        (BenchTarget target, UpgradeRequest request) = For(server);

        BenchFailure failure = Assert.Throws<BenchFailure>(
            () => ClientHandshake.Open(target, request, new byte[ClientHandshake.MinimumBufferSize]));

        Assert.Equal(BenchErrorKind.Handshake, failure.Kind);
        Assert.Contains("closed the connection during the opening handshake", failure.Message);
    }

    [Fact]
    public void Head_longer_than_the_buffer_fails_as_a_handshake_error()
    {
        byte[] endless = Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nX-Padding: " + new string('x', 3000));
        using ScriptedServer server = new(_ => endless);
        (BenchTarget target, UpgradeRequest request) = For(server);

        BenchFailure failure = Assert.Throws<BenchFailure>(
            () => ClientHandshake.Open(target, request, new byte[ClientHandshake.MinimumBufferSize]));

        Assert.Equal(BenchErrorKind.Handshake, failure.Kind);
        Assert.Contains($"longer than {ClientHandshake.MinimumBufferSize} bytes", failure.Message);
    }

    [Fact]
    public void Refused_upgrade_fails_as_a_handshake_error()
    {
        using ScriptedServer server = new(_ => "HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
        (BenchTarget target, UpgradeRequest request) = For(server);

        BenchFailure failure = Assert.Throws<BenchFailure>(
            () => ClientHandshake.Open(target, request, new byte[ClientHandshake.MinimumBufferSize]));

        Assert.Equal(BenchErrorKind.Handshake, failure.Kind);
    }

    [Theory]
    [InlineData("wss://127.0.0.1:9001/", "plain ws:// only")]
    [InlineData("http://127.0.0.1:9001/", "plain ws:// only")]
    public void Target_other_than_ws_is_refused_with_what_to_do(string url, string message)
    {
        ArgumentException failure = Assert.Throws<ArgumentException>(() => BenchTarget.Resolve(new Uri(url)));

        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public void Target_keeps_host_port_and_path_for_the_request()
    {
        BenchTarget target = BenchTarget.Resolve(new Uri("ws://127.0.0.1:9001/a/b?c=d"));

        Assert.Equal("127.0.0.1:9001", target.HostHeader);
        Assert.Equal("/a/b?c=d", target.Path);
        Assert.Equal(9001, target.EndPoint.Port);
    }
}
