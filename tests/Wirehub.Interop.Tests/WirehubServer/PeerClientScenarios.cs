using System.Text;
using Wirehub.Interop.Tests.Hosts;
using Wirehub.Interop.Tests.Payloads;
using Wirehub.Interop.Tests.ChildPeers;
using Wirehub.Interop.Tests.Wire;

namespace Wirehub.Interop.Tests.WirehubServer;

/// <summary>
/// Our server with a third-party client in a child process. Each derived class names the client; the scenarios are
/// the same for all of them.
/// </summary>
public abstract class PeerClientScenarios(WirehubServers servers)
{
    private protected abstract PeerClient StartClient(Uri url, bool deflate = true);

    private static string NewPath(string scenario) => $"/{scenario}/{Guid.NewGuid():N}";

    [Fact]
    public async Task Text_message_is_echoed()
    {
        await using var client = StartClient(servers.EchoUrl(NewPath("text")));
        await client.SendTextAsync("héllo wörld ✓ 𝄞");

        var echo = await client.NextMessageAsync();

        Assert.False(echo.Binary);
        Assert.Equal("héllo wörld ✓ 𝄞", echo.Text);
    }

    [Fact]
    public async Task Binary_message_is_echoed()
    {
        await using var client = StartClient(servers.EchoUrl(NewPath("binary")));
        await client.SendBinaryAsync(TestPayload.AllByteValues());

        var echo = await client.NextMessageAsync();

        Assert.True(echo.Binary);
        Assert.Equal(TestPayload.AllByteValues(), echo.Bytes);
    }

    [Fact]
    public async Task Empty_text_message_is_echoed()
    {
        await using var client = StartClient(servers.EchoUrl(NewPath("empty-text")));
        await client.SendTextAsync("");

        var echo = await client.NextMessageAsync();

        Assert.False(echo.Binary);
        Assert.Equal(0, echo.Length);
    }

    [Fact]
    public async Task Empty_binary_message_is_echoed()
    {
        await using var client = StartClient(servers.EchoUrl(NewPath("empty-binary")));
        await client.SendBinaryAsync([]);

        var echo = await client.NextMessageAsync();

        Assert.True(echo.Binary);
        Assert.Equal(0, echo.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Message_fragmented_by_the_client_arrives_whole(bool binary)
    {
        var tap = WireTap.Start(servers.Echo.Url);
        await using var _ = tap;
        await using var client = StartClient(tap.Through(servers.EchoUrl(NewPath("fragments-in"))));
        await client.SendFragmentsAsync(["first ", "second ", "third"], binary);

        var echo = await client.NextMessageAsync();

        Assert.Equal(binary, echo.Binary);
        Assert.Equal(TestPayload.Sha256Hex("first second third"u8), echo.Sha256);
        // The client really fragmented it: a first frame without FIN, then continuations.
        await tap.ClientToServer.WaitForAsync(f => f.Opcode == (binary ? TappedFrame.Binary : TappedFrame.Text) && !f.Fin,
            "first frame without FIN");
        await tap.ClientToServer.WaitForAsync(f => f.Opcode == TappedFrame.Continuation && f.Fin, "final continuation frame");
    }

    [Fact]
    public async Task Message_fragmented_by_the_server_arrives_whole()
    {
        await using var client = StartClient(servers.Scenario.UrlFor(NewPath("fragments-out")));
        await client.SendTextAsync("!fragments one |two |three");

        var message = await client.NextMessageAsync();

        Assert.Equal("one two three", message.Text);
    }

    [Fact]
    public async Task Permessage_deflate_is_negotiated_and_compresses_both_ways()
    {
        var tap = WireTap.Start(servers.Scenario.UrlFor("/"));
        await using var _ = tap;
        string path = NewPath("deflate");
        await using var client = StartClient(tap.Through(servers.Scenario.UrlFor(path)));
        var opened = await client.OpenedAsync();
        var handled = await servers.Scenario.ConnectionAsync(path);
        string text = TestPayload.CompressibleText(8 * 1024);

        await client.SendTextAsync(text);
        var echo = await client.NextMessageAsync();

        Assert.StartsWith("permessage-deflate", opened.GetString("extensions"));
        Assert.StartsWith("permessage-deflate", handled.Extensions);
        Assert.Equal(text, echo.Text);
        // RSV1 marks a compressed message (RFC 7692 §6); compressed, the repetitive text is far shorter than 8 KiB.
        await tap.ClientToServer.WaitForAsync(f => f.Opcode == TappedFrame.Text && f.Rsv1 && f.PayloadLength < 4096, "compressed text frame");
        await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Text && f.Rsv1 && f.PayloadLength < 4096, "compressed text frame");
    }

    [Theory]
    [InlineData(TestPayload.OneMiB, true)]
    [InlineData(TestPayload.SixteenMiB, true)]
    [InlineData(TestPayload.SixteenMiB, false)]
    public async Task Large_binary_message_is_echoed(int size, bool deflate)
    {
        var payload = TestPayload.Random(size);
        using var file = new PayloadFile(payload);
        await using var client = StartClient(servers.EchoUrl(NewPath("large")), deflate);
        await client.SendFileAsync(file.Path, InteropTimeouts.LargeMessage);

        var echo = await client.NextMessageAsync(InteropTimeouts.LargeMessage);

        Assert.True(echo.Binary);
        Assert.Equal(size, echo.Length);
        Assert.Equal(TestPayload.Sha256Hex(payload), echo.Sha256);
    }

    [Fact]
    public async Task Ping_from_the_client_is_answered_with_its_payload()
    {
        await using var client = StartClient(servers.EchoUrl(NewPath("client-ping")));
        await client.PingAsync("are you there?");

        var pong = await client.PongAsync("are you there?");

        Assert.Equal("are you there?", pong.GetString("text"));
    }

    [Fact]
    public async Task Ping_from_the_server_is_answered_with_its_payload()
    {
        var tap = WireTap.Start(servers.Scenario.UrlFor("/"));
        await using var _ = tap;
        await using var client = StartClient(tap.Through(servers.Scenario.UrlFor(NewPath("server-ping"))));
        await client.SendTextAsync("!ping from wirehub");

        var ping = await tap.ServerToClient.WaitForAsync(f => f.Opcode == TappedFrame.Ping, "ping");
        var pong = await tap.ClientToServer.WaitForAsync(f => f.Opcode == TappedFrame.Pong, "pong");
        await client.SendTextAsync("still open");
        var echo = await client.NextMessageAsync();

        Assert.Equal("from wirehub", ping.ControlText);
        Assert.Equal("from wirehub", pong.ControlText);
        Assert.Equal("still open", echo.Text);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task Close_code_and_reason_from_the_client_reach_the_server_handler(int code)
    {
        string path = NewPath("client-close");
        await using var client = StartClient(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);
        await client.CloseAsync(code, $"client leaves with {code}");

        var seenByServer = await handled.ClosedAsync();
        var seenByClient = await client.ClosedAsync();

        Assert.Equal((ushort)code, seenByServer.Status);
        Assert.Equal($"client leaves with {code}", seenByServer.Reason);
        // The server echoes the code in its close frame (RFC 6455 §5.5.1).
        Assert.Equal(code, seenByClient.GetInt64("code"));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task Close_code_and_reason_from_the_server_reach_the_client(int code)
    {
        string path = NewPath("server-close");
        await using var client = StartClient(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);
        await client.SendTextAsync($"!close {code} server leaves with {code}");

        var seenByClient = await client.ClosedAsync();
        var seenByServer = await handled.ClosedAsync();

        Assert.Equal(code, seenByClient.GetInt64("code"));
        Assert.Equal($"server leaves with {code}", seenByClient.GetString("reason"));
        Assert.Equal((ushort)code, seenByServer.Status);
    }

    [Fact]
    public async Task Client_dropping_tcp_is_seen_as_1006_and_the_server_keeps_serving()
    {
        string path = NewPath("client-drop");
        await using var bystander = await Bystander.ConnectAsync(servers.Scenario.UrlFor(NewPath("bystander")));
        await using var client = StartClient(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);
        await client.DropAsync();

        var seenByServer = await handled.ClosedAsync();

        Assert.Equal((ushort)1006, seenByServer.Status);
        Assert.Equal("still served", await bystander.EchoAsync("still served"));
        Assert.Equal("newcomer served", await Bystander.EchoOnceAsync(servers.Scenario.UrlFor(NewPath("newcomer")), "newcomer served"));
    }

    [Fact]
    public async Task Server_dropping_tcp_is_seen_as_1006_by_the_client_and_the_server_keeps_serving()
    {
        await using var bystander = await Bystander.ConnectAsync(servers.Scenario.UrlFor(NewPath("bystander")));
        await using var client = StartClient(servers.Scenario.UrlFor(NewPath("server-drop")));
        await client.SendTextAsync("!drop");

        var seenByClient = await client.ClosedAsync();

        Assert.Equal(1006, seenByClient.GetInt64("code"));
        Assert.Equal("still served", await bystander.EchoAsync("still served"));
    }

    [Fact]
    public async Task Invalid_utf8_text_from_the_client_fails_the_connection_with_1007()
    {
        string path = NewPath("invalid-utf8");
        await using var client = StartClient(servers.Scenario.UrlFor(path));
        var handled = await servers.Scenario.ConnectionAsync(path);
        await client.SendInvalidUtf8Async();

        var seenByServer = await handled.ClosedAsync();
        var seenByClient = await client.ClosedAsync();

        Assert.Equal((ushort)1007, seenByServer.Status);
        Assert.Equal(1007, seenByClient.GetInt64("code"));
    }
}
