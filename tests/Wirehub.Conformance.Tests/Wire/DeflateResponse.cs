namespace Wirehub.Conformance.Tests.Wire;

/// <summary>A server's permessage-deflate response as the fuzzing client reads it (RFC 7692 §7.1).</summary>
internal sealed record DeflateResponse(bool ServerNoContextTakeover, int ServerMaxWindowBits, bool ClientNoContextTakeover, int ClientMaxWindowBits)
{
    /// <summary>
    /// Checks the response against what was offered; throws <see cref="FormatException"/> naming the rule it breaks.
    /// </summary>
    public static DeflateResponse Parse(ExtensionHeader extension, IReadOnlyList<DeflateOffer> offers)
    {
        bool serverNoContextTakeover = false, clientNoContextTakeover = false;
        int serverBits = 0, clientBits = 0;
        var seen = new HashSet<string>();
        foreach (var (name, value) in extension.Parameters)
        {
            if (!seen.Add(name)) throw new FormatException($"The permessage-deflate response repeats '{name}' (RFC 7692 §7).");
            switch (name)
            {
                case "server_no_context_takeover":
                    DeflateOffer.NoValue(name, value);
                    serverNoContextTakeover = true;
                    break;
                case "client_no_context_takeover":
                    DeflateOffer.NoValue(name, value);
                    clientNoContextTakeover = true;
                    break;
                case "server_max_window_bits":
                    serverBits = DeflateOffer.WindowBits(name, value);
                    break;
                case "client_max_window_bits":
                    if (!offers.Any(o => o.AcceptMaxWindowBits))
                        throw new FormatException("The response has client_max_window_bits, which no offer allowed (RFC 7692 §7.1.2.2).");
                    clientBits = DeflateOffer.WindowBits(name, value);
                    break;
                default:
                    throw new FormatException($"The permessage-deflate response has unknown parameter '{name}' (RFC 7692 §7.1).");
            }
        }
        return new DeflateResponse(serverNoContextTakeover, serverBits, clientNoContextTakeover, clientBits);
    }

    /// <summary>
    /// The client side of the agreement. Every offer with client_no_context_takeover is a promise not to use context
    /// takeover (RFC 7692 §7.1.1.2), so the fuzzing client then resets its compressor after each message.
    /// </summary>
    public DeflateCodec CreateClientCodec(IReadOnlyList<DeflateOffer> offers) => new(
        compressWithoutContextTakeover: ClientNoContextTakeover || offers.Any(o => o.AcceptNoContextTakeover),
        compressWindowBits: ClientMaxWindowBits == 0 ? 15 : ClientMaxWindowBits,
        peerResetsContext: ServerNoContextTakeover);
}
