using System.Text;
using Wirehub.Cli.Bench;
using Wirehub.Protocol;

namespace Wirehub.Bench.Tests.Handshake;

public class UpgradeRequestTests
{
    private static readonly UpgradeRequest s_request = new(BenchTarget.Resolve(new Uri("ws://127.0.0.1:9001/chat?room=1")));

    private static string Key => Encoding.ASCII.GetString(s_request.Bytes).Split("\r\n")
        .Single(line => line.StartsWith("Sec-WebSocket-Key: ", StringComparison.Ordinal))["Sec-WebSocket-Key: ".Length..];

    private static byte[] Response(string head) => Encoding.ASCII.GetBytes(head);

    private static string Accepted(string acceptLine) =>
        $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{acceptLine}\r\n\r\n";

    [Fact]
    public void Request_is_a_get_with_the_upgrade_fields_of_rfc_6455_section_4_1()
    {
        string[] lines = Encoding.ASCII.GetString(s_request.Bytes).Split("\r\n");

        Assert.Equal("GET /chat?room=1 HTTP/1.1", lines[0]);
        Assert.Contains("Host: 127.0.0.1:9001", lines);
        Assert.Contains("Upgrade: websocket", lines);
        Assert.Contains("Connection: Upgrade", lines);
        Assert.Contains("Sec-WebSocket-Version: 13", lines);
        Assert.True(HandshakeKey.IsValidClientKey(Key));
        Assert.Equal(["", ""], lines[^2..]);
    }

    [Fact]
    public void Accepted_response_reports_the_length_of_its_head()
    {
        string head = Accepted($"Sec-WebSocket-Accept: {HandshakeKey.ComputeAccept(Key)}");
        byte[] received = [.. Response(head), 0x81, 0x00];

        Assert.Equal(head.Length, s_request.CheckResponse(received));
    }

    [Fact]
    public void Accept_field_name_is_matched_without_case_and_its_value_trimmed()
    {
        string head = Accepted($"sec-websocket-accept: \t{HandshakeKey.ComputeAccept(Key)} ");

        Assert.Equal(head.Length, s_request.CheckResponse(Response(head)));
    }

    [Fact]
    public void Incomplete_head_reports_zero()
    {
        string head = Accepted($"Sec-WebSocket-Accept: {HandshakeKey.ComputeAccept(Key)}");

        Assert.Equal(0, s_request.CheckResponse(Response(head[..^2])));
    }

    [Fact]
    public void Refusal_fails_as_a_handshake_error_naming_the_status()
    {
        BenchFailure failure = Assert.Throws<BenchFailure>(
            () => s_request.CheckResponse(Response("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")));

        Assert.Equal(BenchErrorKind.Handshake, failure.Kind);
        Assert.Contains("'HTTP/1.1 404 Not Found'", failure.Message);
    }

    [Theory]
    [InlineData("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]
    [InlineData("X-Other: 1")]
    public void Wrong_or_missing_accept_fails_as_a_handshake_error(string acceptLine)
    {
        BenchFailure failure = Assert.Throws<BenchFailure>(() => s_request.CheckResponse(Response(Accepted(acceptLine))));

        Assert.Equal(BenchErrorKind.Handshake, failure.Kind);
        Assert.Contains("Sec-WebSocket-Accept", failure.Message);
    }
}
