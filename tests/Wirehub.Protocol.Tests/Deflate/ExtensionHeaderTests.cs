using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>The Sec-WebSocket-Extensions grammar of RFC 6455 §9.1.</summary>
public sealed class ExtensionHeaderTests
{
    private static IReadOnlyList<ExtensionOffer> Parse(string header)
    {
        Assert.True(ExtensionHeader.TryParse(header, out IReadOnlyList<ExtensionOffer> offers));
        return offers;
    }

    [Fact]
    public void Absent_header_has_no_offers()
    {
        Assert.True(ExtensionHeader.TryParse(null, out IReadOnlyList<ExtensionOffer> offers));
        Assert.Empty(offers);
    }

    [Fact]
    public void Blank_header_has_no_offers()
    {
        Assert.True(ExtensionHeader.TryParse("  ", out IReadOnlyList<ExtensionOffer> offers));
        Assert.Empty(offers);
    }

    [Fact]
    public void Single_token_is_one_offer_without_parameters()
    {
        ExtensionOffer offer = Assert.Single(Parse("permessage-deflate"));

        Assert.Equal("permessage-deflate", offer.Name);
        Assert.Empty(offer.Parameters);
    }

    [Fact]
    public void Parameter_without_value_has_null_value()
    {
        ExtensionOffer offer = Assert.Single(Parse("permessage-deflate; client_max_window_bits"));

        Assert.Equal([new ExtensionParameter("client_max_window_bits", null)], offer.Parameters);
    }

    [Fact]
    public void Token_value_is_read()
    {
        ExtensionOffer offer = Assert.Single(Parse("permessage-deflate; server_max_window_bits=10"));

        Assert.Equal([new ExtensionParameter("server_max_window_bits", "10")], offer.Parameters);
    }

    [Fact]
    public void Quoted_string_value_is_unquoted()
    {
        ExtensionOffer offer = Assert.Single(Parse("permessage-deflate; server_max_window_bits=\"10\""));

        Assert.Equal([new ExtensionParameter("server_max_window_bits", "10")], offer.Parameters);
    }

    [Fact]
    public void Quoted_pair_in_quoted_string_is_unescaped()
    {
        ExtensionOffer offer = Assert.Single(Parse("x-ext; p=\"a\\bc\""));

        Assert.Equal("abc", offer.Parameters[0].Value);
    }

    [Fact]
    public void Parameters_keep_their_order()
    {
        ExtensionOffer offer = Assert.Single(Parse("permessage-deflate; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits"));

        Assert.Equal(["client_no_context_takeover", "server_max_window_bits", "client_max_window_bits"],
            offer.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Optional_whitespace_around_separators_is_allowed()
    {
        ExtensionOffer offer = Assert.Single(Parse(" \tpermessage-deflate \t; server_max_window_bits = 10 ;\tclient_max_window_bits\t"));

        Assert.Equal("permessage-deflate", offer.Name);
        Assert.Equal([new ExtensionParameter("server_max_window_bits", "10"), new ExtensionParameter("client_max_window_bits", null)],
            offer.Parameters);
    }

    [Fact]
    public void Parameters_can_be_written_without_any_whitespace()
    {
        ExtensionOffer offer = Assert.Single(Parse("permessage-deflate;client_max_window_bits=8;server_no_context_takeover"));

        Assert.Equal(2, offer.Parameters.Count);
    }

    [Fact]
    public void Several_offers_are_read_in_order()
    {
        IReadOnlyList<ExtensionOffer> offers = Parse("permessage-deflate; server_max_window_bits=10, permessage-deflate, x-webkit-deflate-frame");

        Assert.Equal(["permessage-deflate", "permessage-deflate", "x-webkit-deflate-frame"], offers.Select(o => o.Name));
        Assert.Single(offers[0].Parameters);
        Assert.Empty(offers[1].Parameters);
    }

    [Fact]
    public void Header_lines_joined_with_comma_are_one_list()
    {
        IReadOnlyList<ExtensionOffer> offers = Parse("permessage-deflate; client_max_window_bits" + ", " + "x-foo; a=1");

        Assert.Equal(2, offers.Count);
        Assert.Equal(new ExtensionParameter("a", "1"), offers[1].Parameters[0]);
    }

    [Fact]
    public void Empty_list_elements_are_ignored()
    {
        IReadOnlyList<ExtensionOffer> offers = Parse(", permessage-deflate, ,x-foo ,");

        Assert.Equal(["permessage-deflate", "x-foo"], offers.Select(o => o.Name));
    }

    [Fact]
    public void Names_keep_their_case()
    {
        ExtensionOffer offer = Assert.Single(Parse("PerMessage-Deflate; Client_Max_Window_Bits"));

        Assert.Equal("PerMessage-Deflate", offer.Name);
        Assert.Equal("Client_Max_Window_Bits", offer.Parameters[0].Name);
    }

    [Theory]
    [InlineData(",")]
    [InlineData(" , ,")]
    [InlineData("permessage-deflate;")]
    [InlineData("permessage-deflate; ;client_max_window_bits")]
    [InlineData("permessage-deflate; =10")]
    [InlineData("permessage-deflate; server_max_window_bits=")]
    [InlineData("permessage-deflate; server_max_window_bits=10=11")]
    [InlineData("permessage-deflate client_max_window_bits")]
    [InlineData(";permessage-deflate")]
    [InlineData("permessage-deflate; server_max_window_bits=1 0")]
    [InlineData("\"permessage-deflate\"")]
    [InlineData("permessage@deflate")]
    [InlineData("permessage-deflate; server_max_window_bits=\"10")]
    [InlineData("permessage-deflate; server_max_window_bits=\"10\\\"")]
    [InlineData("permessage-deflate; p=\"\"")]
    [InlineData("permessage-deflate; p=\"a b\"")]
    [InlineData("permessage-deflate; p=\"a,b\"")]
    [InlineData("permessage-deflate; p=a\"b\"")]
    [InlineData("permessage-deflate\r\n")]
    public void Malformed_list_is_rejected(string header)
    {
        Assert.False(ExtensionHeader.TryParse(header, out IReadOnlyList<ExtensionOffer> offers));
        Assert.Empty(offers);
    }
}
