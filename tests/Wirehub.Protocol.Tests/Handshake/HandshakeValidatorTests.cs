namespace Wirehub.Protocol.Tests.Handshake;

public class HandshakeValidatorTests
{
    // RFC 6455 §1.3: the sample handshake.
    private static readonly HandshakeRequest Valid = new(
        Method: "GET",
        Protocol: "HTTP/1.1",
        Host: "server.example.com",
        Upgrade: "websocket",
        Connection: "Upgrade",
        Key: "dGhlIHNhbXBsZSBub25jZQ==",
        Version: "13",
        Origin: "http://example.com",
        Subprotocols: "chat, superchat",
        Extensions: null);

    private static HandshakeRejection Rejected(HandshakeRequest request)
    {
        var rejection = HandshakeValidator.Validate(request);
        Assert.NotNull(rejection);
        return rejection;
    }

    [Fact]
    public void Rfc_sample_handshake_is_accepted()
    {
        Assert.Null(HandshakeValidator.Validate(Valid));
    }

    [Fact]
    public void Request_without_origin_subprotocols_or_extensions_is_accepted()
    {
        Assert.Null(HandshakeValidator.Validate(Valid with { Origin = null, Subprotocols = null, Extensions = null }));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("HEAD")]
    [InlineData("CONNECT")]
    [InlineData("get")]
    [InlineData("")]
    public void Method_other_than_GET_is_rejected_with_400(string method)
    {
        Assert.Same(HandshakeRejection.MethodNotGet, Rejected(Valid with { Method = method }));
    }

    [Theory]
    [InlineData("HTTP/1.0")]
    [InlineData("HTTP/0.9")]
    [InlineData("HTTP/1")]
    [InlineData("HTTP/")]
    [InlineData("http/1.1")]
    [InlineData("HTTP/1.x")]
    [InlineData("")]
    public void Protocol_older_than_HTTP_1_1_or_unknown_is_rejected_with_400(string protocol)
    {
        Assert.Same(HandshakeRejection.HttpVersionTooOld, Rejected(Valid with { Protocol = protocol }));
    }

    [Theory]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/1.2")]
    [InlineData("HTTP/2")]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/3")]
    public void Protocol_HTTP_1_1_or_later_is_accepted(string protocol)
    {
        Assert.Null(HandshakeValidator.Validate(Valid with { Protocol = protocol }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Missing_or_empty_host_is_rejected_with_400(string? host)
    {
        Assert.Same(HandshakeRejection.MissingHost, Rejected(Valid with { Host = host }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("h2c")]
    [InlineData("websockets")]
    [InlineData("websocket/13")]
    public void Upgrade_header_without_websocket_token_is_rejected_with_400(string? upgrade)
    {
        Assert.Same(HandshakeRejection.MissingUpgrade, Rejected(Valid with { Upgrade = upgrade }));
    }

    [Theory]
    [InlineData("WebSocket")]
    [InlineData("WEBSOCKET")]
    [InlineData("h2c, websocket")]
    [InlineData(" websocket\t")]
    public void Upgrade_header_with_websocket_token_in_any_case_or_position_is_accepted(string upgrade)
    {
        Assert.Null(HandshakeValidator.Validate(Valid with { Upgrade = upgrade }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("keep-alive")]
    [InlineData("upgrades")]
    [InlineData("keep-alive upgrade")]
    public void Connection_header_without_upgrade_token_is_rejected_with_400(string? connection)
    {
        Assert.Same(HandshakeRejection.MissingConnectionUpgrade, Rejected(Valid with { Connection = connection }));
    }

    [Theory]
    [InlineData("keep-alive, Upgrade")]
    [InlineData("keep-alive,upgrade")]
    [InlineData("UPGRADE")]
    [InlineData("Upgrade, keep-alive")]
    [InlineData("keep-alive, , \tupgrade ")]
    public void Connection_header_with_upgrade_among_other_tokens_is_accepted(string connection)
    {
        Assert.Null(HandshakeValidator.Validate(Valid with { Connection = connection }));
    }

    [Fact]
    public void Missing_version_is_rejected_with_426_and_version_header()
    {
        var rejection = Rejected(Valid with { Version = null });

        Assert.Same(HandshakeRejection.MissingVersion, rejection);
        Assert.Equal(426, rejection.StatusCode);
        Assert.True(rejection.RequiresVersionHeader);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("12")]
    [InlineData("14")]
    [InlineData(" 13")]
    [InlineData("13, 8")]
    [InlineData("")]
    public void Version_other_than_13_is_rejected_with_426_and_version_header(string version)
    {
        var rejection = Rejected(Valid with { Version = version });

        Assert.Same(HandshakeRejection.UnsupportedVersion, rejection);
        Assert.Equal(426, rejection.StatusCode);
        Assert.True(rejection.RequiresVersionHeader);
    }

    [Fact]
    public void Unsupported_version_is_reported_before_a_bad_key()
    {
        Assert.Same(HandshakeRejection.UnsupportedVersion, Rejected(Valid with { Version = "8", Key = "x" }));
    }

    [Fact]
    public void Missing_key_is_rejected_with_400()
    {
        Assert.Same(HandshakeRejection.MissingKey, Rejected(Valid with { Key = null }));
    }

    [Fact]
    public void Key_that_decodes_to_15_bytes_is_rejected_with_400()
    {
        var key = Convert.ToBase64String(new byte[15]);

        Assert.Same(HandshakeRejection.InvalidKey, Rejected(Valid with { Key = key }));
    }

    [Fact]
    public void Key_that_decodes_to_17_bytes_is_rejected_with_400()
    {
        var key = Convert.ToBase64String(new byte[17]);

        Assert.Same(HandshakeRejection.InvalidKey, Rejected(Valid with { Key = key }));
    }

    [Theory]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ==")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ== ")]
    [InlineData("dGhlIHNhbXBsZSBub25j!Q==")]
    [InlineData("")]
    public void Key_that_is_not_base64_of_16_bytes_is_rejected_with_400(string key)
    {
        Assert.Same(HandshakeRejection.InvalidKey, Rejected(Valid with { Key = key }));
    }

    [Fact]
    public void Rejections_other_than_version_do_not_require_the_version_header()
    {
        var rejection = Rejected(Valid with { Key = null });

        Assert.Equal(400, rejection.StatusCode);
        Assert.False(rejection.RequiresVersionHeader);
    }

    [Fact]
    public void Default_request_is_rejected_without_throwing()
    {
        Assert.Same(HandshakeRejection.MethodNotGet, Rejected(default));
    }

    [Theory]
    [InlineData("websocket", true)]
    [InlineData("WebSocket", true)]
    [InlineData("h2c, websocket", true)]
    [InlineData("h2c", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsWebSocketRequest_looks_for_the_websocket_token_in_Upgrade(string? upgrade, bool expected)
    {
        Assert.Equal(expected, HandshakeValidator.IsWebSocketRequest(upgrade));
    }
}
