namespace Wirehub.Protocol;

/// <summary>Chooses the subprotocol of a connection from the client's Sec-WebSocket-Protocol offer (RFC 6455 §4.2.2).</summary>
public static class SubprotocolSelector
{
    /// <summary>
    /// Returns the first of the server's <paramref name="supported"/> subprotocols, in the server's order of
    /// preference, that the client offered; null when none was offered or none matches. Names are compared exactly
    /// (case-sensitively): subprotocol names are tokens matched as strings (RFC 6455 §4.1, §11.5).
    /// </summary>
    /// <param name="requested">The Sec-WebSocket-Protocol header: a comma-separated list, several header lines already
    /// joined with ", ". Null when the client offered none.</param>
    /// <param name="supported">The server's subprotocols, most preferred first.</param>
    /// <returns>The matching element of <paramref name="supported"/> itself (no allocation), or null.</returns>
    public static string? Select(string? requested, IReadOnlyList<string> supported)
    {
        ArgumentNullException.ThrowIfNull(supported);
        if (string.IsNullOrEmpty(requested))
        {
            return null;
        }

        for (var i = 0; i < supported.Count; i++)
        {
            var candidate = supported[i];
            if (!string.IsNullOrEmpty(candidate)
                && HttpTokenList.Contains(requested, candidate, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="value"/> is a valid subprotocol name: a non-empty RFC 9110 token.</summary>
    public static bool IsValidToken(ReadOnlySpan<char> value) => HttpFieldSyntax.IsToken(value);
}
