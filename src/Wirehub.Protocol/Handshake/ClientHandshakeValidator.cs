namespace Wirehub.Protocol;

/// <summary>The client side of the opening handshake: checks the server's response (RFC 6455 §4.1, "the client MUST").</summary>
public static class ClientHandshakeValidator
{
    /// <summary>
    /// Checks a response head: status 101, an Upgrade header with the token <c>websocket</c>, a Connection header with
    /// the token <c>upgrade</c>, a Sec-WebSocket-Accept matching <paramref name="key"/>, and a Sec-WebSocket-Protocol that
    /// is absent or one of the offered subprotocols. Sec-WebSocket-Extensions is returned raw, for the caller to check
    /// against its own offer.
    /// </summary>
    /// <param name="head">The response head.</param>
    /// <param name="key">The Sec-WebSocket-Key the client sent.</param>
    /// <param name="offeredSubprotocols">The subprotocols the client offered, possibly none.</param>
    /// <param name="subprotocol">The subprotocol the server selected (the offered instance), or null.</param>
    /// <param name="extensions">The raw Sec-WebSocket-Extensions header of the response, or null.</param>
    /// <returns>Null when the response completes the handshake; otherwise what was wrong with it.</returns>
    public static string? Validate(HttpResponseHead head, string key, IReadOnlyList<string> offeredSubprotocols,
        out string? subprotocol, out string? extensions)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(offeredSubprotocols);
        subprotocol = null;
        extensions = null;

        if (head.StatusCode != 101)
        {
            return head.ReasonPhrase.Length == 0
                ? $"The server refused the WebSocket handshake with status {head.StatusCode} instead of 101 Switching Protocols."
                : $"The server refused the WebSocket handshake with {head.StatusCode} {head.ReasonPhrase} instead of 101 Switching Protocols.";
        }

        var upgrade = head.GetHeader("Upgrade");
        if (upgrade is null || !HttpTokenList.Contains(upgrade, "websocket", StringComparison.OrdinalIgnoreCase))
        {
            return "The server's 101 response has no Upgrade header with the token 'websocket' (RFC 6455 §4.1); it did not switch to the WebSocket protocol.";
        }

        var connection = head.GetHeader("Connection");
        if (connection is null || !HttpTokenList.Contains(connection, "upgrade", StringComparison.OrdinalIgnoreCase))
        {
            return "The server's 101 response has no Connection header with the token 'Upgrade' (RFC 6455 §4.1); it did not switch to the WebSocket protocol.";
        }

        var accept = head.GetHeader("Sec-WebSocket-Accept");
        if (accept is null)
        {
            return "The server's 101 response has no Sec-WebSocket-Accept header (RFC 6455 §4.1); it is not a WebSocket server, or a proxy removed the header.";
        }

        Span<char> expected = stackalloc char[HandshakeKey.AcceptLength];
        HandshakeKey.WriteAccept(key, expected);
        if (!accept.AsSpan().SequenceEqual(expected))
        {
            return "The server's Sec-WebSocket-Accept does not match the key that was sent (RFC 6455 §4.1); the response was not made for this handshake.";
        }

        var selected = head.GetHeader("Sec-WebSocket-Protocol");
        if (selected is not null)
        {
            subprotocol = FindOffered(selected, offeredSubprotocols);
            if (subprotocol is null)
            {
                return offeredSubprotocols.Count == 0
                    ? "The server selected a subprotocol although none was offered (RFC 6455 §4.1); the server must omit Sec-WebSocket-Protocol."
                    : "The server selected a subprotocol that was not offered (RFC 6455 §4.1); it must answer with one of the offered names or none.";
            }
        }

        extensions = head.GetHeader("Sec-WebSocket-Extensions");
        return null;
    }

    // The server answers with exactly one of the offered names (§4.2.2 item 5.4), compared case-sensitively.
    private static string? FindOffered(string selected, IReadOnlyList<string> offered)
    {
        for (var i = 0; i < offered.Count; i++)
        {
            if (string.Equals(selected, offered[i], StringComparison.Ordinal))
            {
                return offered[i];
            }
        }

        return null;
    }
}
