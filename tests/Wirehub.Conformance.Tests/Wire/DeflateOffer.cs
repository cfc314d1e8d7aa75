namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// A client's permessage-deflate offer (RFC 7692 §7.1), described the way the catalogue's section 13 describes its
/// offers: what the client lets the server ask of it (no context takeover, a smaller client window) and what it asks
/// of the server (server_no_context_takeover, server_max_window_bits).
/// </summary>
internal sealed record DeflateOffer(
    bool AcceptNoContextTakeover = true,
    bool AcceptMaxWindowBits = true,
    bool RequestNoContextTakeover = false,
    int RequestMaxWindowBits = 0)
{
    public const string ExtensionName = "permessage-deflate";

    /// <summary>The offer as sent in Sec-WebSocket-Extensions.</summary>
    public override string ToString()
    {
        var text = ExtensionName;
        if (AcceptNoContextTakeover) text += "; client_no_context_takeover";
        if (AcceptMaxWindowBits) text += "; client_max_window_bits";
        if (RequestNoContextTakeover) text += "; server_no_context_takeover";
        if (RequestMaxWindowBits != 0) text += $"; server_max_window_bits={RequestMaxWindowBits}";
        return text;
    }

    /// <summary>
    /// Reads an offer a client under test sent. As in the catalogue's reference engine, the client is taken to accept
    /// client_no_context_takeover whether or not it said so: RFC 7692 §7.1.1.2 lets a server ask for it in any case.
    /// Throws <see cref="FormatException"/> for parameters RFC 7692 §7.1 does not allow.
    /// </summary>
    public static DeflateOffer Parse(ExtensionHeader extension)
    {
        bool acceptMaxWindowBits = false, requestNoContextTakeover = false;
        int requestMaxWindowBits = 0;
        var seen = new HashSet<string>();
        foreach (var (name, value) in extension.Parameters)
        {
            if (!seen.Add(name)) throw new FormatException($"permessage-deflate offer repeats '{name}' (RFC 7692 §7).");
            switch (name)
            {
                case "client_max_window_bits":
                    if (value is not null) WindowBits(name, value);
                    acceptMaxWindowBits = true;
                    break;
                case "client_no_context_takeover":
                    NoValue(name, value);
                    break;
                case "server_max_window_bits":
                    requestMaxWindowBits = WindowBits(name, value);
                    break;
                case "server_no_context_takeover":
                    NoValue(name, value);
                    requestNoContextTakeover = true;
                    break;
                default:
                    throw new FormatException($"permessage-deflate offer has unknown parameter '{name}' (RFC 7692 §7.1).");
            }
        }
        return new DeflateOffer(true, acceptMaxWindowBits, requestNoContextTakeover, requestMaxWindowBits);
    }

    internal static int WindowBits(string name, string? value) =>
        int.TryParse(value, out int bits) && bits is >= 8 and <= 15 && value![0] != '0'
            ? bits
            : throw new FormatException($"'{name}={value}' must be a decimal window size from 8 to 15 (RFC 7692 §7.1.2).");

    internal static void NoValue(string name, string? value)
    {
        if (value is not null) throw new FormatException($"'{name}' takes no value but has '{value}' (RFC 7692 §7.1.1).");
    }
}
