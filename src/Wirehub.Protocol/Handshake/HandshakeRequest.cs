namespace Wirehub.Protocol;

/// <summary>
/// What the server needs from an HTTP/1.1 upgrade request to validate it (RFC 6455 §4.2.1). Header values are the
/// field values as received; where a header appeared several times, its values are joined with ", ". A header that is
/// absent is null.
/// </summary>
/// <param name="Method">The request method; a WebSocket upgrade uses GET.</param>
/// <param name="Protocol">The HTTP version of the request line, for example "HTTP/1.1".</param>
/// <param name="Host">The Host header.</param>
/// <param name="Upgrade">The Upgrade header.</param>
/// <param name="Connection">The Connection header.</param>
/// <param name="Key">The Sec-WebSocket-Key header.</param>
/// <param name="Version">The Sec-WebSocket-Version header.</param>
/// <param name="Origin">The Origin header; not checked by <see cref="HandshakeValidator"/>, the host decides.</param>
/// <param name="Subprotocols">The Sec-WebSocket-Protocol header, a comma-separated list of offered subprotocols.</param>
/// <param name="Extensions">The raw Sec-WebSocket-Extensions header.</param>
public readonly record struct HandshakeRequest(
    string Method,
    string Protocol,
    string? Host,
    string? Upgrade,
    string? Connection,
    string? Key,
    string? Version,
    string? Origin,
    string? Subprotocols,
    string? Extensions);
