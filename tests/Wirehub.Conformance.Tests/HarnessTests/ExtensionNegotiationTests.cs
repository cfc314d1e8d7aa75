using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.HarnessTests;

public sealed class ExtensionNegotiationTests
{
    [Fact]
    public void Default_offer_is_written_as_the_catalogue_sends_it()
    {
        Assert.Equal("permessage-deflate; client_no_context_takeover; client_max_window_bits", new DeflateOffer().ToString());
    }

    [Fact]
    public void Offer_asking_the_server_for_no_context_takeover_and_9_bits_lists_both()
    {
        Assert.Equal("permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9",
            new DeflateOffer(RequestNoContextTakeover: true, RequestMaxWindowBits: 9).ToString());
    }

    [Fact]
    public void Several_offers_with_quoted_values_parse_in_order()
    {
        var extensions = ExtensionHeader.ParseList("permessage-deflate; server_max_window_bits=\"10\"; client_max_window_bits, permessage-deflate, x-other; a=b");

        Assert.Equal(["permessage-deflate", "permessage-deflate", "x-other"], extensions.Select(e => e.Name));
        var offer = DeflateOffer.Parse(extensions[0]);
        Assert.Equal((true, 10), (offer.AcceptMaxWindowBits, offer.RequestMaxWindowBits));
    }

    [Fact]
    public void Parameter_without_a_name_is_rejected_naming_the_header()
    {
        var error = Assert.Throws<FormatException>(() => ExtensionHeader.ParseList("permessage-deflate; =15"));

        Assert.Contains("permessage-deflate; =15", error.Message);
    }

    [Theory]
    [InlineData("server_max_window_bits=7")]
    [InlineData("server_max_window_bits=16")]
    [InlineData("server_max_window_bits=010")]
    [InlineData("server_max_window_bits")]
    [InlineData("client_no_context_takeover=1")]
    [InlineData("mystery_parameter")]
    public void Offer_parameter_outside_RFC_7692_section_7_1_is_rejected(string parameter)
    {
        var extension = ExtensionHeader.ParseList("permessage-deflate; " + parameter)[0];

        Assert.Throws<FormatException>(() => DeflateOffer.Parse(extension));
    }

    [Fact]
    public void Accepting_an_offer_grants_its_requests_and_adds_the_servers()
    {
        var accept = new DeflateAccept(new DeflateOffer(RequestNoContextTakeover: true, RequestMaxWindowBits: 9), RequestNoContextTakeover: true, RequestMaxWindowBits: 10);

        Assert.Equal("permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover; client_max_window_bits=10", accept.ToString());
    }

    [Fact]
    public void Response_with_client_window_bits_that_no_offer_allowed_is_rejected()
    {
        var response = ExtensionHeader.ParseList("permessage-deflate; client_max_window_bits=10")[0];

        Assert.Throws<FormatException>(() => DeflateResponse.Parse(response, [new DeflateOffer(AcceptMaxWindowBits: false)]));
    }

    [Fact]
    public void Client_that_hinted_no_context_takeover_compresses_each_message_on_its_own()
    {
        var response = DeflateResponse.Parse(ExtensionHeader.ParseList("permessage-deflate")[0], [new DeflateOffer()]);
        using var client = response.CreateClientCodec([new DeflateOffer()]);
        var message = "a message that would shrink if it could refer to its predecessor"u8.ToArray();

        var first = client.Compress(message);
        var second = client.Compress(message);

        Assert.Equal(first, second);
    }
}
