using System.Buffers;
using System.Text;

namespace Wirehub.Protocol.Tests.Handshake;

public class ClientHandshakeValidatorTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string Accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static HttpResponseHead Head(string statusLine, params string[] fields)
    {
        var text = statusLine + "\r\n" + string.Concat(fields.Select(f => f + "\r\n")) + "\r\n";
        var status = HttpResponseHead.TryRead(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), 8192,
            out var head, out _);
        Assert.Equal(HttpHeadReadStatus.Complete, status);
        return head!;
    }

    private static HttpResponseHead Switching(params string[] extraFields) =>
        Head("HTTP/1.1 101 Switching Protocols",
            ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + Accept, .. extraFields]);

    private static string? Validate(HttpResponseHead head, IReadOnlyList<string>? offered = null) =>
        ClientHandshakeValidator.Validate(head, Key, offered ?? [], out _, out _);

    [Fact]
    public void Rfc_sample_response_is_accepted()
    {
        var error = ClientHandshakeValidator.Validate(Switching("Sec-WebSocket-Protocol: chat"), Key,
            ["superchat", "chat"], out var subprotocol, out var extensions);

        Assert.Null(error);
        Assert.Equal("chat", subprotocol);
        Assert.Null(extensions);
    }

    [Fact]
    public void Response_without_subprotocol_selects_none()
    {
        var error = ClientHandshakeValidator.Validate(Switching(), Key, ["chat"], out var subprotocol, out _);

        Assert.Null(error);
        Assert.Null(subprotocol);
    }

    [Fact]
    public void Selected_subprotocol_is_the_offered_instance()
    {
        string[] offered = [new string("chat".AsSpan())];

        ClientHandshakeValidator.Validate(Switching("Sec-WebSocket-Protocol: chat"), Key, offered, out var subprotocol, out _);

        Assert.Same(offered[0], subprotocol);
    }

    [Fact]
    public void Extensions_header_is_returned_raw()
    {
        var error = ClientHandshakeValidator.Validate(
            Switching("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"), Key, [],
            out _, out var extensions);

        Assert.Null(error);
        Assert.Equal("permessage-deflate; server_no_context_takeover", extensions);
    }

    [Fact]
    public void Upgrade_and_connection_tokens_are_matched_case_insensitively()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols",
            "Upgrade: WebSocket", "Connection: keep-alive, UPGRADE", "Sec-WebSocket-Accept: " + Accept);

        Assert.Null(Validate(head));
    }

    [Fact]
    public void Status_other_than_101_fails_with_status_and_reason_in_the_message()
    {
        var error = Validate(Head("HTTP/1.1 403 Forbidden", "Content-Length: 0"));

        Assert.NotNull(error);
        Assert.Contains("403 Forbidden", error);
    }

    [Fact]
    public void Status_200_from_a_plain_http_server_fails()
    {
        var error = Validate(Head("HTTP/1.1 200 OK", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + Accept));

        Assert.NotNull(error);
        Assert.Contains("200", error);
    }

    [Fact]
    public void Missing_upgrade_header_fails()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "Connection: Upgrade", "Sec-WebSocket-Accept: " + Accept);

        Assert.Contains("Upgrade", Validate(head));
    }

    [Fact]
    public void Upgrade_to_another_protocol_fails()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: h2c", "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + Accept);

        Assert.Contains("websocket", Validate(head));
    }

    [Fact]
    public void Missing_connection_upgrade_token_fails()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: keep-alive",
            "Sec-WebSocket-Accept: " + Accept);

        Assert.Contains("Connection", Validate(head));
    }

    [Fact]
    public void Missing_accept_fails()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade");

        Assert.Contains("Sec-WebSocket-Accept", Validate(head));
    }

    [Fact]
    public void Wrong_accept_fails()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + HandshakeKey.ComputeAccept("AAAAAAAAAAAAAAAAAAAAAA=="));

        Assert.Contains("does not match", Validate(head));
    }

    [Fact]
    public void Accept_in_other_case_fails()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + Accept.ToLowerInvariant());

        Assert.NotNull(Validate(head));
    }

    [Fact]
    public void Accept_sent_twice_fails()
    {
        Assert.NotNull(Validate(Switching("Sec-WebSocket-Accept: " + Accept)));
    }

    [Fact]
    public void Subprotocol_that_was_not_offered_fails()
    {
        Assert.Contains("not offered", Validate(Switching("Sec-WebSocket-Protocol: mqtt"), ["chat"]));
    }

    [Fact]
    public void Subprotocol_when_none_was_offered_fails()
    {
        Assert.Contains("none was offered", Validate(Switching("Sec-WebSocket-Protocol: chat")));
    }

    [Fact]
    public void Subprotocol_in_other_case_than_offered_fails()
    {
        Assert.NotNull(Validate(Switching("Sec-WebSocket-Protocol: CHAT"), ["chat"]));
    }

    [Fact]
    public void Several_subprotocols_in_the_response_fail()
    {
        Assert.NotNull(Validate(Switching("Sec-WebSocket-Protocol: chat, superchat"), ["chat", "superchat"]));
    }

    [Fact]
    public void Failed_validation_selects_no_subprotocol_and_no_extensions()
    {
        var head = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Accept: wrong", "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Extensions: x");

        var error = ClientHandshakeValidator.Validate(head, Key, ["chat"], out var subprotocol, out var extensions);

        Assert.NotNull(error);
        Assert.Null(subprotocol);
        Assert.Null(extensions);
    }

    [Fact]
    public void Response_to_a_created_key_validates_against_that_key()
    {
        var key = HandshakeKey.CreateClientKey();
        var head = Head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Accept: " + HandshakeKey.ComputeAccept(key));

        Assert.Null(ClientHandshakeValidator.Validate(head, key, [], out _, out _));
    }
}
