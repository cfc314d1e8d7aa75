using System.Text;

namespace Wirehub.Protocol;

/// <summary>
/// The permessage-deflate configuration both ends agreed on during the opening handshake (RFC 7692 §7.1).
/// </summary>
/// <param name="ServerNoContextTakeover">The server compresses each message on its own (RFC 7692 §7.1.1.1).</param>
/// <param name="ClientNoContextTakeover">The client compresses each message on its own (RFC 7692 §7.1.1.2).</param>
/// <param name="ServerMaxWindowBits">Largest LZ77 window the server compresses with, 8..15 (RFC 7692 §7.1.2.1).</param>
/// <param name="ClientMaxWindowBits">Largest LZ77 window the client compresses with, 8..15 (RFC 7692 §7.1.2.2).</param>
/// <exception cref="ArgumentOutOfRangeException">A window size is outside 8..15.</exception>
public sealed record PerMessageDeflateParameters(bool ServerNoContextTakeover, bool ClientNoContextTakeover,
    int ServerMaxWindowBits, int ClientMaxWindowBits)
{
    private readonly int _serverMaxWindowBits =
        PerMessageDeflateOptions.RequireWindowBits(ServerMaxWindowBits, nameof(ServerMaxWindowBits));

    private readonly int _clientMaxWindowBits =
        PerMessageDeflateOptions.RequireWindowBits(ClientMaxWindowBits, nameof(ClientMaxWindowBits));

    /// <summary>Largest LZ77 window the server compresses with, as a base-2 logarithm (8..15).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 8..15.</exception>
    public int ServerMaxWindowBits
    {
        get => _serverMaxWindowBits;
        init => _serverMaxWindowBits = PerMessageDeflateOptions.RequireWindowBits(value, nameof(ServerMaxWindowBits));
    }

    /// <summary>Largest LZ77 window the client compresses with, as a base-2 logarithm (8..15).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 8..15.</exception>
    public int ClientMaxWindowBits
    {
        get => _clientMaxWindowBits;
        init => _clientMaxWindowBits = PerMessageDeflateOptions.RequireWindowBits(value, nameof(ClientMaxWindowBits));
    }

    /// <summary>
    /// The <c>Sec-WebSocket-Extensions</c> element describing these parameters, leaving out those at their defaults,
    /// e.g. <c>permessage-deflate; server_no_context_takeover; client_max_window_bits=10</c>.
    /// </summary>
    public string ToHeaderValue() => ToHeaderValue(includeServerMaxWindowBits: false);

    // A server that accepts an offer carrying server_max_window_bits must echo the parameter even at 15
    // (RFC 7692 §7.1.2.1), hence the flag.
    internal string ToHeaderValue(bool includeServerMaxWindowBits)
    {
        var header = new StringBuilder(PerMessageDeflateNegotiator.ExtensionName);
        if (ServerNoContextTakeover)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ServerNoContextTakeover);
        }

        if (ClientNoContextTakeover)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ClientNoContextTakeover);
        }

        if (includeServerMaxWindowBits || ServerMaxWindowBits < 15)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ServerMaxWindowBits).Append('=')
                .Append(ServerMaxWindowBits);
        }

        if (ClientMaxWindowBits < 15)
        {
            header.Append("; ").Append(PerMessageDeflateParameterNames.ClientMaxWindowBits).Append('=')
                .Append(ClientMaxWindowBits);
        }

        return header.ToString();
    }
}
