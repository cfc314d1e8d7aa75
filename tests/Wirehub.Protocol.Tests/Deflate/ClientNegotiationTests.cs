using Wirehub.Protocol;

namespace Wirehub.Protocol.Tests.Deflate;

/// <summary>The client's side of permessage-deflate negotiation (RFC 7692 §5, §7.1).</summary>
public sealed class ClientNegotiationTests
{
    private static PerMessageDeflateParameters Agreed(string response, PerMessageDeflateOptions? client = null)
    {
        string? error = PerMessageDeflateNegotiator.ValidateResponse(response, client ?? new PerMessageDeflateOptions(),
            out PerMessageDeflateParameters? agreed);
        Assert.Null(error);
        Assert.NotNull(agreed);
        return agreed;
    }

    private static string Rejected(string response, PerMessageDeflateOptions? client = null)
    {
        string? error = PerMessageDeflateNegotiator.ValidateResponse(response, client ?? new PerMessageDeflateOptions(),
            out PerMessageDeflateParameters? agreed);
        Assert.NotNull(error);
        Assert.Null(agreed);
        return error;
    }

    [Fact]
    public void Default_offer_declares_client_max_window_bits()
    {
        Assert.Equal("permessage-deflate; client_max_window_bits",
            PerMessageDeflateNegotiator.CreateOffer(new PerMessageDeflateOptions()));
    }

    [Fact]
    public void Offer_carries_every_non_default_option()
    {
        var client = new PerMessageDeflateOptions
        {
            ServerNoContextTakeover = true, ClientNoContextTakeover = true, ServerMaxWindowBits = 10, ClientMaxWindowBits = 11,
        };

        Assert.Equal(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=11",
            PerMessageDeflateNegotiator.CreateOffer(client));
    }

    [Fact]
    public void Offer_is_accepted_by_a_default_server()
    {
        string offer = PerMessageDeflateNegotiator.CreateOffer(new PerMessageDeflateOptions { ServerMaxWindowBits = 9 });

        Assert.True(PerMessageDeflateNegotiator.TryAccept(offer, new PerMessageDeflateOptions(), out _,
            out PerMessageDeflateParameters? agreed));
        Assert.Equal(9, agreed!.ServerMaxWindowBits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Missing_response_means_no_compression(string? response)
    {
        string? error = PerMessageDeflateNegotiator.ValidateResponse(response, new PerMessageDeflateOptions(),
            out PerMessageDeflateParameters? agreed);

        Assert.Null(error);
        Assert.Null(agreed);
    }

    [Fact]
    public void Plain_acceptance_agrees_on_defaults()
    {
        Assert.Equal(new PerMessageDeflateParameters(false, false, 15, 15), Agreed("permessage-deflate"));
    }

    [Fact]
    public void Malformed_response_fails_the_connection()
    {
        Assert.Contains("RFC 6455 §9.1", Rejected("permessage-deflate; ="));
    }

    [Fact]
    public void Response_naming_an_extension_not_offered_fails_the_connection()
    {
        Assert.Contains("x-webkit-deflate-frame", Rejected("x-webkit-deflate-frame"));
    }

    [Fact]
    public void Response_naming_permessage_deflate_twice_fails_the_connection()
    {
        Assert.Contains("more than once", Rejected("permessage-deflate, permessage-deflate"));
    }

    [Fact]
    public void Response_with_an_unknown_parameter_fails_the_connection()
    {
        Assert.Contains("mux_window", Rejected("permessage-deflate; mux_window=4"));
    }

    [Fact]
    public void Response_with_a_duplicate_parameter_fails_the_connection()
    {
        Assert.Contains("more than once", Rejected("permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
    }

    [Fact]
    public void Response_with_a_value_on_a_flag_parameter_fails_the_connection()
    {
        Assert.Contains("client_no_context_takeover", Rejected("permessage-deflate; client_no_context_takeover=1"));
    }

    [Theory]
    [InlineData("server_max_window_bits=7")]
    [InlineData("server_max_window_bits=16")]
    [InlineData("client_max_window_bits=7")]
    [InlineData("client_max_window_bits=16")]
    [InlineData("server_max_window_bits=09")]
    public void Response_with_a_window_outside_8_to_15_fails_the_connection(string parameter)
    {
        Assert.Contains("from 8 to 15", Rejected($"permessage-deflate; {parameter}"));
    }

    [Fact]
    public void Response_with_client_max_window_bits_but_no_value_fails_the_connection()
    {
        Assert.Contains("client_max_window_bits", Rejected("permessage-deflate; client_max_window_bits"));
    }

    [Fact]
    public void Response_with_client_max_window_bits_not_offered_fails_the_connection()
    {
        var offerWithoutClientWindow = new PerMessageDeflateParameterSet(false, false, null, false, null);

        string? error = PerMessageDeflateNegotiator.ValidateResponseToOffer(
            "permessage-deflate; client_max_window_bits=10", offerWithoutClientWindow, out PerMessageDeflateParameters? agreed);

        Assert.Contains("did not offer", error);
        Assert.Null(agreed);
    }

    [Fact]
    public void Response_with_server_max_window_bits_larger_than_requested_fails_the_connection()
    {
        Assert.Contains("larger than", Rejected("permessage-deflate; server_max_window_bits=11",
            new PerMessageDeflateOptions { ServerMaxWindowBits = 10 }));
    }

    [Fact]
    public void Response_with_server_max_window_bits_smaller_than_requested_is_agreed()
    {
        PerMessageDeflateParameters agreed = Agreed("permessage-deflate; server_max_window_bits=8",
            new PerMessageDeflateOptions { ServerMaxWindowBits = 10 });

        Assert.Equal(8, agreed.ServerMaxWindowBits);
    }

    [Fact]
    public void Response_with_server_max_window_bits_not_requested_is_agreed()
    {
        Assert.Equal(12, Agreed("permessage-deflate; server_max_window_bits=12").ServerMaxWindowBits);
    }

    [Fact]
    public void Response_with_client_max_window_bits_is_agreed()
    {
        Assert.Equal(9, Agreed("permessage-deflate; client_max_window_bits=9").ClientMaxWindowBits);
    }

    [Fact]
    public void Response_with_client_max_window_bits_larger_than_offered_fails_the_connection()
    {
        Assert.Contains("larger than", Rejected("permessage-deflate; client_max_window_bits=12",
            new PerMessageDeflateOptions { ClientMaxWindowBits = 10 }));
    }

    [Fact]
    public void Offered_client_window_applies_when_the_response_leaves_it_out()
    {
        Assert.Equal(10, Agreed("permessage-deflate", new PerMessageDeflateOptions { ClientMaxWindowBits = 10 }).ClientMaxWindowBits);
    }

    [Fact]
    public void Server_no_context_takeover_not_requested_is_agreed()
    {
        Assert.True(Agreed("permessage-deflate; server_no_context_takeover").ServerNoContextTakeover);
    }

    [Fact]
    public void Client_no_context_takeover_imposed_by_the_server_is_agreed()
    {
        Assert.True(Agreed("permessage-deflate; client_no_context_takeover").ClientNoContextTakeover);
    }

    [Fact]
    public void Offered_client_no_context_takeover_applies_when_the_response_leaves_it_out()
    {
        Assert.True(Agreed("permessage-deflate", new PerMessageDeflateOptions { ClientNoContextTakeover = true })
            .ClientNoContextTakeover);
    }

    [Fact]
    public void Server_no_context_takeover_is_not_assumed_when_the_response_leaves_it_out()
    {
        Assert.False(Agreed("permessage-deflate", new PerMessageDeflateOptions { ServerNoContextTakeover = true })
            .ServerNoContextTakeover);
    }
}
