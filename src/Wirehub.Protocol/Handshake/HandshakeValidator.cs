namespace Wirehub.Protocol;

/// <summary>The server side of the opening handshake: decides whether a request is a valid WebSocket upgrade.</summary>
public static class HandshakeValidator
{
    /// <summary>The only protocol version this implementation speaks (RFC 6455 §4.1, §11.6).</summary>
    public const string SupportedVersion = "13";

    /// <summary>
    /// Checks a request against RFC 6455 §4.2.1: a GET, HTTP/1.1 or later, a Host header, an Upgrade header containing
    /// the token <c>websocket</c>, a Connection header containing the token <c>upgrade</c> (tokens compared
    /// case-insensitively), <c>Sec-WebSocket-Version: 13</c> and a Sec-WebSocket-Key that is the base64 encoding of 16
    /// bytes. Origin, subprotocols and extensions are left to the host.
    /// </summary>
    /// <param name="request">The request as received.</param>
    /// <returns>
    /// Null when the request is a valid WebSocket upgrade; otherwise the first rule it breaks, as a cached
    /// <see cref="HandshakeRejection"/>: 400 for a malformed request, 426 for a missing or unsupported version.
    /// </returns>
    public static HandshakeRejection? Validate(in HandshakeRequest request)
    {
        // §4.1 item 2: "The method of the request MUST be GET". 405 would fit too, but it obliges the response to carry
        // an Allow header (RFC 9110 §15.5.6), and §4.2.1 asks for a plain 400 for any request that does not match.
        if (!string.Equals(request.Method, "GET", StringComparison.Ordinal))
        {
            return HandshakeRejection.MethodNotGet;
        }

        if (!IsHttp11OrLater(request.Protocol))
        {
            return HandshakeRejection.HttpVersionTooOld;
        }

        if (string.IsNullOrWhiteSpace(request.Host))
        {
            return HandshakeRejection.MissingHost;
        }

        if (!IsWebSocketRequest(request.Upgrade))
        {
            return HandshakeRejection.MissingUpgrade;
        }

        if (request.Connection is null
            || !HttpTokenList.Contains(request.Connection, "upgrade", StringComparison.OrdinalIgnoreCase))
        {
            return HandshakeRejection.MissingConnectionUpgrade;
        }

        // The version is checked before the key: a client of another version gets the 426 that tells it which version
        // to retry with (§4.2.2 item 4, §4.4), whatever its key looks like.
        if (request.Version is null)
        {
            return HandshakeRejection.MissingVersion;
        }

        if (!string.Equals(request.Version, SupportedVersion, StringComparison.Ordinal))
        {
            return HandshakeRejection.UnsupportedVersion;
        }

        if (request.Key is null)
        {
            return HandshakeRejection.MissingKey;
        }

        if (!HandshakeKey.IsValidClientKey(request.Key))
        {
            return HandshakeRejection.InvalidKey;
        }

        return null;
    }

    /// <summary>
    /// True when the Upgrade header asks for a WebSocket, that is contains the token <c>websocket</c>
    /// (case-insensitive, in a comma-separated list). Lets a host tell WebSocket requests from plain ones before
    /// validating them.
    /// </summary>
    /// <param name="upgrade">The Upgrade header value, or null when the request has none.</param>
    public static bool IsWebSocketRequest(string? upgrade) =>
        upgrade is not null && HttpTokenList.Contains(upgrade, "websocket", StringComparison.OrdinalIgnoreCase);

    // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3); hosts report HTTP/2 and HTTP/3 as "HTTP/2" and "HTTP/3".
    private static bool IsHttp11OrLater(string? protocol)
    {
        if (protocol is null || !protocol.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return false;
        }

        var version = protocol.AsSpan(5);
        var dot = version.IndexOf('.');
        var majorText = dot < 0 ? version : version[..dot];
        var minorText = dot < 0 ? [] : version[(dot + 1)..];
        if (!IsDigits(majorText) || (dot >= 0 && !IsDigits(minorText)))
        {
            return false;
        }

        var major = majorText.TrimStart('0');
        if (major.Length > 1)
        {
            return true;
        }

        var majorValue = major.IsEmpty ? 0 : major[0] - '0';
        return majorValue > 1 || (majorValue == 1 && !minorText.TrimStart('0').IsEmpty);
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');
}
