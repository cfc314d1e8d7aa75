using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>The server's side of permessage-deflate negotiation (RFC 7692 §5, §7.1).</summary>
public sealed class ServerNegotiationTests
{
    private static (string? Response, PerMessageDeflateParameters? Agreed) Accept(string? offer,
        PerMessageDeflateOptions? server = null)
    {
        Assert.True(PerMessageDeflateNegotiator.TryAccept(offer, server ?? new PerMessageDeflateOptions(),
            out string? response, out PerMessageDeflateParameters? agreed));
        Assert.Equal(response is null, agreed is null);
        return (response, agreed);
    }

    [Fact]
    public void No_extension_header_means_no_compression()
    {
        var (response, agreed) = Accept(null);

        Assert.Null(response);
        Assert.Null(agreed);
    }

    [Fact]
    public void Offer_of_other_extensions_only_means_no_compression()
    {
        var (response, _) = Accept("x-webkit-deflate-frame, x-foo; a=1");

        Assert.Null(response);
    }

    [Fact]
    public void Malformed_header_fails_the_handshake()
    {
        Assert.False(PerMessageDeflateNegotiator.TryAccept("permessage-deflate; =", new PerMessageDeflateOptions(),
            out string? response, out PerMessageDeflateParameters? agreed));
        Assert.Null(response);
        Assert.Null(agreed);
    }

    [Fact]
    public void Default_offer_is_accepted_with_default_parameters()
    {
        var (response, agreed) = Accept("permessage-deflate");

        Assert.Equal("permessage-deflate", response);
        Assert.Equal(new PerMessageDeflateParameters(false, false, 15, 15), agreed);
    }

    [Fact]
    public void Extension_name_matches_regardless_of_case()
    {
        var (response, _) = Accept("PERMESSAGE-DEFLATE");

        Assert.Equal("permessage-deflate", response);
    }

    [Fact]
    public void Offered_client_no_context_takeover_is_echoed()
    {
        var (response, agreed) = Accept("permessage-deflate; client_no_context_takeover");

        Assert.Equal("permessage-deflate; client_no_context_takeover", response);
        Assert.True(agreed!.ClientNoContextTakeover);
    }

    [Fact]
    public void Requested_server_no_context_takeover_is_granted_and_answered()
    {
        var (response, agreed) = Accept("permessage-deflate; server_no_context_takeover");

        Assert.Equal("permessage-deflate; server_no_context_takeover", response);
        Assert.True(agreed!.ServerNoContextTakeover);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void Requested_server_max_window_bits_is_honoured_and_answered(int bits)
    {
        var (response, agreed) = Accept($"permessage-deflate; server_max_window_bits={bits}");

        Assert.Equal($"permessage-deflate; server_max_window_bits={bits}", response);
        Assert.Equal(bits, agreed!.ServerMaxWindowBits);
    }

    [Fact]
    public void Requested_server_max_window_bits_above_the_server_limit_gets_the_limit()
    {
        var (response, agreed) = Accept("permessage-deflate; server_max_window_bits=12",
            new PerMessageDeflateOptions { ServerMaxWindowBits = 10 });

        Assert.Equal("permessage-deflate; server_max_window_bits=10", response);
        Assert.Equal(10, agreed!.ServerMaxWindowBits);
    }

    [Fact]
    public void Requested_server_max_window_bits_below_the_server_limit_is_kept()
    {
        var (_, agreed) = Accept("permessage-deflate; server_max_window_bits=9",
            new PerMessageDeflateOptions { ServerMaxWindowBits = 12 });

        Assert.Equal(9, agreed!.ServerMaxWindowBits);
    }

    [Fact]
    public void Server_window_limit_is_declared_when_not_requested()
    {
        var (response, agreed) = Accept("permessage-deflate", new PerMessageDeflateOptions { ServerMaxWindowBits = 11 });

        Assert.Equal("permessage-deflate; server_max_window_bits=11", response);
        Assert.Equal(11, agreed!.ServerMaxWindowBits);
    }

    [Fact]
    public void Client_max_window_bits_without_value_leaves_the_client_window_at_15_by_default()
    {
        var (response, agreed) = Accept("permessage-deflate; client_max_window_bits");

        Assert.Equal("permessage-deflate", response);
        Assert.Equal(15, agreed!.ClientMaxWindowBits);
    }

    [Fact]
    public void Client_max_window_bits_without_value_lets_the_server_choose()
    {
        var (response, agreed) = Accept("permessage-deflate; client_max_window_bits",
            new PerMessageDeflateOptions { ClientMaxWindowBits = 9 });

        Assert.Equal("permessage-deflate; client_max_window_bits=9", response);
        Assert.Equal(9, agreed!.ClientMaxWindowBits);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Client_max_window_bits_with_value_is_kept_and_answered(int bits)
    {
        var (response, agreed) = Accept($"permessage-deflate; client_max_window_bits={bits}");

        Assert.Equal($"permessage-deflate; client_max_window_bits={bits}", response);
        Assert.Equal(bits, agreed!.ClientMaxWindowBits);
    }

    [Fact]
    public void Client_max_window_bits_with_value_is_lowered_to_the_server_limit()
    {
        var (response, agreed) = Accept("permessage-deflate; client_max_window_bits=12",
            new PerMessageDeflateOptions { ClientMaxWindowBits = 10 });

        Assert.Equal("permessage-deflate; client_max_window_bits=10", response);
        Assert.Equal(10, agreed!.ClientMaxWindowBits);
    }

    [Fact]
    public void Client_max_window_bits_is_never_answered_when_not_offered()
    {
        var (response, agreed) = Accept("permessage-deflate", new PerMessageDeflateOptions { ClientMaxWindowBits = 9 });

        Assert.Equal("permessage-deflate", response);
        Assert.Equal(15, agreed!.ClientMaxWindowBits);
    }

    [Fact]
    public void Server_option_adds_server_no_context_takeover()
    {
        var (response, agreed) = Accept("permessage-deflate",
            new PerMessageDeflateOptions { ServerNoContextTakeover = true });

        Assert.Equal("permessage-deflate; server_no_context_takeover", response);
        Assert.True(agreed!.ServerNoContextTakeover);
    }

    [Fact]
    public void Server_option_adds_client_no_context_takeover()
    {
        var (response, agreed) = Accept("permessage-deflate",
            new PerMessageDeflateOptions { ClientNoContextTakeover = true });

        Assert.Equal("permessage-deflate; client_no_context_takeover", response);
        Assert.True(agreed!.ClientNoContextTakeover);
    }

    [Fact]
    public void Offer_with_an_unknown_parameter_is_declined()
    {
        var (response, _) = Accept("permessage-deflate; mux_window=4");

        Assert.Null(response);
    }

    [Theory]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover")]
    [InlineData("permessage-deflate; client_no_context_takeover; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=10; server_max_window_bits=10")]
    [InlineData("permessage-deflate; client_max_window_bits; client_max_window_bits=10")]
    public void Offer_with_a_duplicate_parameter_is_declined(string offer)
    {
        var (response, _) = Accept(offer);

        Assert.Null(response);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("16")]
    [InlineData("08")]
    [InlineData("010")]
    [InlineData("+9")]
    [InlineData("nine")]
    public void Offer_with_a_window_size_outside_8_to_15_is_declined(string value)
    {
        Assert.Null(Accept($"permessage-deflate; server_max_window_bits={value}").Response);
        Assert.Null(Accept($"permessage-deflate; client_max_window_bits={value}").Response);
    }

    [Fact]
    public void Offer_with_server_max_window_bits_but_no_value_is_declined()
    {
        var (response, _) = Accept("permessage-deflate; server_max_window_bits");

        Assert.Null(response);
    }

    [Theory]
    [InlineData("permessage-deflate; server_no_context_takeover=1")]
    [InlineData("permessage-deflate; client_no_context_takeover=true")]
    public void Offer_with_a_value_on_a_flag_parameter_is_declined(string offer)
    {
        var (response, _) = Accept(offer);

        Assert.Null(response);
    }

    [Fact]
    public void Quoted_window_size_is_accepted()
    {
        var (_, agreed) = Accept("permessage-deflate; server_max_window_bits=\"10\"");

        Assert.Equal(10, agreed!.ServerMaxWindowBits);
    }

    [Fact]
    public void Declined_offer_falls_back_to_the_next_offer()
    {
        var (response, agreed) = Accept("permessage-deflate; server_max_window_bits=7, permessage-deflate; client_max_window_bits");

        Assert.Equal("permessage-deflate", response);
        Assert.Equal(new PerMessageDeflateParameters(false, false, 15, 15), agreed);
    }

    [Fact]
    public void First_acceptable_offer_wins()
    {
        var (response, _) = Accept("permessage-deflate; server_max_window_bits=10, permessage-deflate");

        Assert.Equal("permessage-deflate; server_max_window_bits=10", response);
    }

    [Fact]
    public void Other_extensions_before_permessage_deflate_are_skipped()
    {
        var (response, _) = Accept("x-webkit-deflate-frame; no_context_takeover, permessage-deflate");

        Assert.Equal("permessage-deflate", response);
    }

    [Fact]
    public void When_every_offer_is_declined_the_connection_goes_on_uncompressed()
    {
        var (response, agreed) = Accept("permessage-deflate; foo, permessage-deflate; server_max_window_bits=20");

        Assert.Null(response);
        Assert.Null(agreed);
    }

    // The offers Autobahn|Testsuite section 13 makes, each with the answer a server with default options gives.
    [Theory]
    [InlineData("permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; client_no_context_takeover; client_max_window_bits",
        "permessage-deflate; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_no_context_takeover; client_max_window_bits",
        "permessage-deflate; server_no_context_takeover")]
    [InlineData("permessage-deflate; client_max_window_bits; server_max_window_bits=8",
        "permessage-deflate; server_max_window_bits=8")]
    [InlineData("permessage-deflate; client_max_window_bits; server_max_window_bits=15",
        "permessage-deflate; server_max_window_bits=15")]
    [InlineData("permessage-deflate; client_max_window_bits=8", "permessage-deflate; client_max_window_bits=8")]
    [InlineData("permessage-deflate; client_max_window_bits=15", "permessage-deflate")]
    [InlineData("permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9")]
    [InlineData("permessage-deflate; client_no_context_takeover; client_max_window_bits=9; server_max_window_bits=8",
        "permessage-deflate; client_no_context_takeover; server_max_window_bits=8; client_max_window_bits=9")]
    [InlineData("permessage-deflate; server_max_window_bits=8; client_max_window_bits, permessage-deflate; client_max_window_bits",
        "permessage-deflate; server_max_window_bits=8")]
    public void Autobahn_section_13_offer_gets_the_expected_answer(string offer, string expected)
    {
        var (response, _) = Accept(offer);

        Assert.Equal(expected, response);
    }

    [Fact]
    public void Answer_parses_back_to_the_agreed_parameters()
    {
        var (response, agreed) = Accept(
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=11; server_max_window_bits=13");

        string? error = PerMessageDeflateNegotiator.ValidateResponse(response,
            new PerMessageDeflateOptions { ClientNoContextTakeover = true, ClientMaxWindowBits = 11, ServerMaxWindowBits = 13 },
            out PerMessageDeflateParameters? clientView);

        Assert.Null(error);
        Assert.Equal(agreed, clientView);
    }
}
