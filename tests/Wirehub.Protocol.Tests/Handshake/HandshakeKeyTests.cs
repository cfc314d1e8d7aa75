namespace Wirehub.Protocol.Tests.Handshake;

public class HandshakeKeyTests
{
    [Fact]
    public void Accept_of_the_rfc_sample_key_is_the_rfc_sample_accept()
    {
        // RFC 6455 §1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HandshakeKey.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void Accept_matches_the_definition_sha1_of_key_and_guid()
    {
        const string key = "x3JJHMbDL1EzLkh9GBhXDw==";
        var expected = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(
            System.Text.Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

        Assert.Equal(expected, HandshakeKey.ComputeAccept(key));
    }

    [Fact]
    public void Accept_of_an_oversized_key_is_computed_like_any_other()
    {
        var key = new string('A', 1000);
        var expected = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(
            System.Text.Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

        Assert.Equal(expected, HandshakeKey.ComputeAccept(key));
    }

    [Fact]
    public void Created_client_key_decodes_to_16_bytes()
    {
        var key = HandshakeKey.CreateClientKey();

        Assert.Equal(16, Convert.FromBase64String(key).Length);
        Assert.True(HandshakeKey.IsValidClientKey(key));
    }

    [Fact]
    public void Created_client_keys_differ()
    {
        Assert.NotEqual(HandshakeKey.CreateClientKey(), HandshakeKey.CreateClientKey());
    }

    [Theory]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("/////////////////////w==")]
    [InlineData("+++++++++++++++++++++A==")]
    public void Key_of_22_base64_characters_and_two_pads_is_valid(string key)
    {
        Assert.True(HandshakeKey.IsValidClientKey(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ=")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ===")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQAA")]
    [InlineData("dGhlIHNhbXBsZSBub25jZ===")]
    [InlineData("dGhlIHNhbXBs-SBub25jZQ==")]
    [InlineData("dGhlIHNhbXBs_SBub25jZQ==")]
    [InlineData("dGhlIHNhbXBs SBub25jZQ==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Key_that_is_not_base64_of_exactly_16_bytes_is_invalid(string key)
    {
        Assert.False(HandshakeKey.IsValidClientKey(key));
    }
}
