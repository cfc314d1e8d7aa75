using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class OpeningHandshakeTests
{
    [Fact]
    public void Accept_key_matches_the_example_of_RFC_6455_section_1_3()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", OpeningHandshake.AcceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void Response_with_a_wrong_accept_key_is_rejected_with_the_expected_value()
    {
        var head = HttpHead.Parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bogus=");

        var problem = OpeningHandshake.ValidateResponse(head, "dGhlIHNhbXBsZSBub25jZQ==");

        Assert.Contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", problem);
    }

    [Fact]
    public void Response_other_than_101_is_rejected_quoting_the_status_line()
    {
        var head = HttpHead.Parse("HTTP/1.1 403 Forbidden\r\nContent-Length: 0");

        Assert.Contains("403 Forbidden", OpeningHandshake.ValidateResponse(head, "dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void Request_with_upgrade_among_other_connection_tokens_is_valid()
    {
        var head = HttpHead.Parse("GET /runCase?case=1&agent=x HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13");

        Assert.Null(OpeningHandshake.ValidateRequest(head, out var target));
        Assert.Equal("/runCase?case=1&agent=x", target);
    }

    [Fact]
    public void Request_for_another_protocol_version_is_refused_naming_version_13()
    {
        var head = HttpHead.Parse("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8");

        Assert.Contains("version 13", OpeningHandshake.ValidateRequest(head, out _));
    }

    [Fact]
    public void Request_with_a_key_of_15_bytes_is_refused()
    {
        var head = HttpHead.Parse("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                                  $"Sec-WebSocket-Key: {Convert.ToBase64String(new byte[15])}\r\nSec-WebSocket-Version: 13");

        Assert.Contains("16 bytes", OpeningHandshake.ValidateRequest(head, out _));
    }
}
