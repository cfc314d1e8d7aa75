namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// A server's acceptance of one <see cref="DeflateOffer"/> (RFC 7692 §7.1): it grants what the client asked of the
/// server and may ask the client for no context takeover and/or a smaller client window.
/// </summary>
internal sealed record DeflateAccept(DeflateOffer Offer, bool RequestNoContextTakeover = false, int RequestMaxWindowBits = 0)
{
    /// <summary>The response as sent in Sec-WebSocket-Extensions.</summary>
    public override string ToString()
    {
        var text = DeflateOffer.ExtensionName;
        if (Offer.RequestNoContextTakeover) text += "; server_no_context_takeover";
        if (Offer.RequestMaxWindowBits != 0) text += $"; server_max_window_bits={Offer.RequestMaxWindowBits}";
        if (RequestNoContextTakeover) text += "; client_no_context_takeover";
        if (RequestMaxWindowBits != 0) text += $"; client_max_window_bits={RequestMaxWindowBits}";
        return text;
    }

    /// <summary>The server side of the agreement: what the fuzzing server may send and how to read what it receives.</summary>
    public DeflateCodec CreateServerCodec() => new(
        compressWithoutContextTakeover: Offer.RequestNoContextTakeover,
        compressWindowBits: Offer.RequestMaxWindowBits == 0 ? 15 : Offer.RequestMaxWindowBits,
        peerResetsContext: RequestNoContextTakeover);
}
