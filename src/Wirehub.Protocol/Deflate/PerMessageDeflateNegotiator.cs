using System.Text;

namespace Wirehub.Protocol;

/// <summary>
/// Negotiates permessage-deflate (RFC 7692 §5, §7.1) through <c>Sec-WebSocket-Extensions</c>, in the server role
/// (<see cref="TryAccept"/>) and the client role (<see cref="CreateOffer"/>, <see cref="ValidateResponse"/>).
/// </summary>
public static class PerMessageDeflateNegotiator
{
    /// <summary>The registered extension token (RFC 7692 §7).</summary>
    public const string ExtensionName = "permessage-deflate";

    /// <summary>
    /// Server role: walks the client's offers in order and accepts the first permessage-deflate offer whose parameters
    /// are valid (RFC 7692 §5, §7). An offer with an unknown or duplicate parameter or an invalid value is declined and
    /// the next one tried. A requested server_max_window_bits is honoured; client_max_window_bits is answered only when
    /// the client offered it; <paramref name="server"/> may add either no_context_takeover parameter or lower either
    /// window. When the client cannot limit its window, the server takes its messages at any window size.
    /// </summary>
    /// <param name="requestExtensions">The request's <c>Sec-WebSocket-Extensions</c> value, header lines joined with
    /// <c>", "</c>; <see langword="null"/> when absent.</param>
    /// <param name="server">What the server accepts.</param>
    /// <param name="responseHeader">The response's <c>Sec-WebSocket-Extensions</c> value, or <see langword="null"/>
    /// when no offer was accepted and the connection goes on uncompressed.</param>
    /// <param name="agreed">The agreed parameters, or <see langword="null"/> when no offer was accepted.</param>
    /// <returns><see langword="false"/> only when the header does not follow RFC 6455 §9.1; the handshake should then
    /// be answered with 400.</returns>
    public static bool TryAccept(string? requestExtensions, PerMessageDeflateOptions server, out string? responseHeader,
        out PerMessageDeflateParameters? agreed)
    {
        ArgumentNullException.ThrowIfNull(server);
        responseHeader = null;
        agreed = null;
        if (!ExtensionHeader.TryParse(requestExtensions, out IReadOnlyList<ExtensionOffer> offers))
        {
            return false;
        }

        foreach (ExtensionOffer offer in offers)
        {
            if (!IsPerMessageDeflate(offer.Name)
                || !PerMessageDeflateParameterSet.TryRead(offer.Parameters, isResponse: false,
                    out PerMessageDeflateParameterSet requested, out _))
            {
                continue;
            }

            // RFC 7692 §7.1.2.2: without client_max_window_bits in the offer the response must not carry it, so the
            // server's own client window limit cannot apply and the client may use any window.
            int clientMaxWindowBits = requested.HasClientMaxWindowBits
                ? Math.Min(requested.ClientMaxWindowBits ?? 15, server.ClientMaxWindowBits)
                : 15;
            agreed = new PerMessageDeflateParameters(
                ServerNoContextTakeover: requested.ServerNoContextTakeover || server.ServerNoContextTakeover,
                // Echoing the client's own declaration lets both ends rely on it (RFC 7692 §7.1.1.2).
                ClientNoContextTakeover: requested.ClientNoContextTakeover || server.ClientNoContextTakeover,
                ServerMaxWindowBits: Math.Min(requested.ServerMaxWindowBits ?? 15, server.ServerMaxWindowBits),
                ClientMaxWindowBits: clientMaxWindowBits);
            responseHeader = agreed.ToHeaderValue(
                includeServerMaxWindowBits: requested.ServerMaxWindowBits is not null);
            return true;
        }

        return true;
    }

    /// <summary>
    /// Client role: the <c>Sec-WebSocket-Extensions</c> value offering permessage-deflate with
    /// <paramref name="client"/>'s options. The offer always declares client_max_window_bits, so the server may ask
    /// the client for a smaller window.
    /// </summary>
    /// <param name="client">What the client offers.</param>
    public static string CreateOffer(PerMessageDeflateOptions client) => FormatOffer(OfferFor(client));

    /// <summary>
    /// Client role: checks the server's <c>Sec-WebSocket-Extensions</c> response against the offer
    /// <see cref="CreateOffer"/> made for <paramref name="client"/> (RFC 6455 §9.1, RFC 7692 §5, §7.1).
    /// </summary>
    /// <param name="responseExtensions">The response's header value; <see langword="null"/> or empty when absent.</param>
    /// <param name="client">The options the offer was made from.</param>
    /// <param name="agreed">The agreed parameters, or <see langword="null"/> when the server declined compression or
    /// the response is invalid.</param>
    /// <returns><see langword="null"/> when the response is acceptable; otherwise what is wrong with it, and the client
    /// must fail the connection.</returns>
    public static string? ValidateResponse(string? responseExtensions, PerMessageDeflateOptions client,
        out PerMessageDeflateParameters? agreed)
    {
        ArgumentNullException.ThrowIfNull(client);
        return ValidateResponseToOffer(responseExtensions, OfferFor(client), out agreed);
    }

    internal static PerMessageDeflateParameterSet OfferFor(PerMessageDeflateOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new PerMessageDeflateParameterSet(
            ServerNoContextTakeover: client.ServerNoContextTakeover,
            ClientNoContextTakeover: client.ClientNoContextTakeover,
            ServerMaxWindowBits: client.ServerMaxWindowBits < 15 ? client.ServerMaxWindowBits : null,
            HasClientMaxWindowBits: true,
            ClientMaxWindowBits: client.ClientMaxWindowBits < 15 ? client.ClientMaxWindowBits : null);
    }

    internal static string FormatOffer(PerMessageDeflateParameterSet offer)
    {
        var header = new StringBuilder(ExtensionName);
        if (offer.ServerNoContextTakeover)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ServerNoContextTakeover);
        }

        if (offer.ClientNoContextTakeover)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ClientNoContextTakeover);
        }

        if (offer.ServerMaxWindowBits is int serverBits)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ServerMaxWindowBits).Append('=').Append(serverBits);
        }

        if (offer.HasClientMaxWindowBits)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ClientMaxWindowBits);
            if (offer.ClientMaxWindowBits is int clientBits)
            {
                header.Append('=').Append(clientBits);
            }
        }

        return header.ToString();
    }

    /// <summary>Checks a response against an offer described by its parameters.</summary>
    internal static string? ValidateResponseToOffer(string? responseExtensions, PerMessageDeflateParameterSet offer,
        out PerMessageDeflateParameters? agreed)
    {
        agreed = null;
        if (string.IsNullOrWhiteSpace(responseExtensions))
        {
            return null; // The server declined: the connection goes on uncompressed.
        }

        if (!ExtensionHeader.TryParse(responseExtensions, out IReadOnlyList<ExtensionOffer> accepted))
        {
            return $"The server's Sec-WebSocket-Extensions header '{responseExtensions}' does not follow the " +
                   "RFC 6455 §9.1 grammar; fail the connection.";
        }

        PerMessageDeflateParameterSet? response = null;
        foreach (ExtensionOffer extension in accepted)
        {
            if (!IsPerMessageDeflate(extension.Name))
            {
                return $"The server accepted the extension '{extension.Name}', which the client did not offer " +
                       "(RFC 6455 §9.1); fail the connection.";
            }

            if (response is not null)
            {
                return "The server accepted permessage-deflate more than once, but the client made one offer " +
                       "(RFC 7692 §5); fail the connection.";
            }

            if (!PerMessageDeflateParameterSet.TryRead(extension.Parameters, isResponse: true,
                    out PerMessageDeflateParameterSet parameters, out string? problem))
            {
                return $"The server's permessage-deflate response is invalid: {problem}; fail the connection.";
            }

            if (parameters.HasClientMaxWindowBits && !offer.HasClientMaxWindowBits)
            {
                return "The server's permessage-deflate response has client_max_window_bits, which the client did " +
                       "not offer (RFC 7692 §7.1.2.2); fail the connection.";
            }

            if (parameters.ServerMaxWindowBits > offer.ServerMaxWindowBits)
            {
                return $"The server's permessage-deflate response has server_max_window_bits=" +
                       $"{parameters.ServerMaxWindowBits}, larger than the {offer.ServerMaxWindowBits} the client " +
                       "asked for (RFC 7692 §7.1.2.1); fail the connection.";
            }

            if (parameters.ClientMaxWindowBits > offer.ClientMaxWindowBits)
            {
                return $"The server's permessage-deflate response has client_max_window_bits=" +
                       $"{parameters.ClientMaxWindowBits}, larger than the {offer.ClientMaxWindowBits} the client " +
                       "offered (RFC 7692 §7.1.2.2); fail the connection.";
            }

            response = parameters;
        }

        PerMessageDeflateParameterSet agreedSet = response!.Value;
        agreed = new PerMessageDeflateParameters(
            ServerNoContextTakeover: agreedSet.ServerNoContextTakeover,
            // A client that offered client_no_context_takeover keeps to it even when the response leaves it out
            // (RFC 7692 §7.1.1.2).
            ClientNoContextTakeover: agreedSet.ClientNoContextTakeover || offer.ClientNoContextTakeover,
            ServerMaxWindowBits: agreedSet.ServerMaxWindowBits ?? 15,
            ClientMaxWindowBits: agreedSet.ClientMaxWindowBits ?? offer.ClientMaxWindowBits ?? 15);
        return null;
    }

    private static bool IsPerMessageDeflate(string name) =>
        string.Equals(name, ExtensionName, StringComparison.OrdinalIgnoreCase);
}
