namespace Wirehub.Protocol;

/// <summary>
/// A refused opening handshake: the HTTP status to answer with and a one-line reason for the response body that says
/// what was wrong and what to do. The common rejections are cached, so refusing a request does not allocate.
/// </summary>
public sealed class HandshakeRejection
{
    /// <summary>Creates a rejection with a client-error status (400-499) and a one-line reason.</summary>
    /// <param name="statusCode">The HTTP status, usually 400 Bad Request, 403 Forbidden or 426 Upgrade Required.</param>
    /// <param name="reason">What was wrong and what to do, on one line.</param>
    /// <exception cref="ArgumentOutOfRangeException">The status is not a 4xx client error.</exception>
    /// <exception cref="ArgumentException">The reason is empty or spans several lines.</exception>
    public HandshakeRejection(int statusCode, string reason)
    {
        if (statusCode is < 400 or > 499)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode,
                "A refused handshake answers with a 4xx client-error status (for example 400, 403 or 426).");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (reason.AsSpan().ContainsAny('\r', '\n'))
        {
            throw new ArgumentException("The rejection reason must be a single line; remove CR and LF characters.",
                nameof(reason));
        }

        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The HTTP status code of the response.</summary>
    public int StatusCode { get; }

    /// <summary>A one-line explanation for the response body.</summary>
    public string Reason { get; }

    /// <summary>
    /// True for 426 Upgrade Required, whose response must carry <c>Sec-WebSocket-Version: 13</c> so the client can
    /// retry with a version this server speaks (RFC 6455 §4.2.2, §4.4).
    /// </summary>
    public bool RequiresVersionHeader => StatusCode == 426;

    /// <summary>The request method is not GET (400).</summary>
    public static HandshakeRejection MethodNotGet { get; } = new(400,
        "A WebSocket opening handshake must be a GET request (RFC 6455 §4.1); send the upgrade request with GET.");

    /// <summary>The request uses HTTP/1.0 or an unknown protocol version (400).</summary>
    public static HandshakeRejection HttpVersionTooOld { get; } = new(400,
        "A WebSocket opening handshake needs HTTP/1.1 or later (RFC 6455 §4.1); send the upgrade request as HTTP/1.1.");

    /// <summary>The request has no Host header (400).</summary>
    public static HandshakeRejection MissingHost { get; } = new(400,
        "The request has no Host header (RFC 6455 §4.1); send Host with the server's name and port.");

    /// <summary>The Upgrade header is missing or does not name websocket (400).</summary>
    public static HandshakeRejection MissingUpgrade { get; } = new(400,
        "The Upgrade header does not contain the token 'websocket' (RFC 6455 §4.1); send 'Upgrade: websocket'.");

    /// <summary>The Connection header is missing or does not contain the upgrade token (400).</summary>
    public static HandshakeRejection MissingConnectionUpgrade { get; } = new(400,
        "The Connection header does not contain the token 'Upgrade' (RFC 6455 §4.1); send 'Connection: Upgrade'.");

    /// <summary>The request has no Sec-WebSocket-Key header (400).</summary>
    public static HandshakeRejection MissingKey { get; } = new(400,
        "The request has no Sec-WebSocket-Key header (RFC 6455 §4.1); send the base64 encoding of 16 random bytes.");

    /// <summary>The Sec-WebSocket-Key header is not the base64 encoding of exactly 16 bytes (400).</summary>
    public static HandshakeRejection InvalidKey { get; } = new(400,
        "The Sec-WebSocket-Key header is not the base64 encoding of exactly 16 bytes (RFC 6455 §4.1); send a 24-character key made from 16 random bytes.");

    /// <summary>The request has no Sec-WebSocket-Version header (426, with <c>Sec-WebSocket-Version: 13</c>).</summary>
    public static HandshakeRejection MissingVersion { get; } = new(426,
        "The request has no Sec-WebSocket-Version header (RFC 6455 §4.1); this server speaks version 13, so send 'Sec-WebSocket-Version: 13'.");

    /// <summary>The Sec-WebSocket-Version header is not 13 (426, with <c>Sec-WebSocket-Version: 13</c>).</summary>
    public static HandshakeRejection UnsupportedVersion { get; } = new(426,
        "The Sec-WebSocket-Version is not supported (RFC 6455 §4.4); this server speaks version 13 only, so send 'Sec-WebSocket-Version: 13'.");

    /// <summary>The Origin header names an origin the server does not allow (403); for hosts that check origins.</summary>
    public static HandshakeRejection OriginNotAllowed { get; } = new(403,
        "The Origin of this request is not allowed to open a WebSocket on this server (RFC 6455 §4.2.2, §10.2); connect from an allowed origin.");

    /// <summary>The status code and reason, for logs.</summary>
    public override string ToString() => $"{StatusCode} {Reason}";
}
