namespace Wirehub.Protocol.Tests.Handshake;

public class SubprotocolSelectorTests
{
    [Fact]
    public void Server_preference_order_wins_over_client_order()
    {
        Assert.Equal("superchat", SubprotocolSelector.Select("chat, superchat", ["superchat", "chat"]));
    }

    [Fact]
    public void First_supported_protocol_the_client_offered_is_selected()
    {
        Assert.Equal("chat", SubprotocolSelector.Select("v2.json, chat", ["mqtt", "chat", "v2.json"]));
    }

    [Fact]
    public void Selected_protocol_is_the_servers_own_instance()
    {
        var supported = new[] { new string("chat".AsSpan()) };

        Assert.Same(supported[0], SubprotocolSelector.Select("chat", supported));
    }

    [Fact]
    public void Protocols_are_compared_case_sensitively()
    {
        Assert.Null(SubprotocolSelector.Select("Chat", ["chat"]));
    }

    [Fact]
    public void Lists_joined_from_several_header_lines_are_searched_whole()
    {
        Assert.Equal("graphql-ws", SubprotocolSelector.Select("chat, superchat, graphql-ws", ["graphql-ws"]));
    }

    [Fact]
    public void Whitespace_and_empty_elements_around_tokens_are_ignored()
    {
        Assert.Equal("chat", SubprotocolSelector.Select(" ,\tchat ,", ["chat"]));
    }

    [Fact]
    public void Prefix_of_an_offered_token_does_not_match()
    {
        Assert.Null(SubprotocolSelector.Select("chat.v2", ["chat"]));
    }

    [Fact]
    public void No_offer_selects_nothing()
    {
        Assert.Null(SubprotocolSelector.Select(null, ["chat"]));
        Assert.Null(SubprotocolSelector.Select("", ["chat"]));
    }

    [Fact]
    public void No_overlap_selects_nothing()
    {
        Assert.Null(SubprotocolSelector.Select("mqtt, wamp", ["chat"]));
    }

    [Fact]
    public void Server_without_protocols_selects_nothing()
    {
        Assert.Null(SubprotocolSelector.Select("chat", []));
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("v2.bin.example.com")]
    [InlineData("!#$%&'*+-.^_`|~09AZaz")]
    public void Token_characters_make_a_valid_token(string value)
    {
        Assert.True(SubprotocolSelector.IsValidToken(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("chat room")]
    [InlineData("chat,room")]
    [InlineData("a/b")]
    [InlineData("\"chat\"")]
    [InlineData("chät")]
    [InlineData("chat\r\n")]
    [InlineData("(chat)")]
    public void Separators_controls_and_non_ascii_make_an_invalid_token(string value)
    {
        Assert.False(SubprotocolSelector.IsValidToken(value));
    }
}
