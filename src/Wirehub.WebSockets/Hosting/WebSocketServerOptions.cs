namespace Wirehub.WebSockets;

/// <summary>Options of a WebSocket endpoint: the connection limits plus what the opening handshake negotiates.</summary>
public sealed class WebSocketServerOptions : WebSocketOptions
{
    /// <summary>Subprotocols this endpoint speaks, most preferred first. The first one the client also offers is chosen.</summary>
    public IList<string> Subprotocols { get; } = new List<string>();

    /// <summary>
    /// Origins allowed to connect (exact, case-insensitive match against the <c>Origin</c> header, e.g.
    /// <c>https://example.com</c>). Empty allows any origin, and requests without an Origin header (non-browser
    /// clients) are always allowed unless <see cref="OriginPolicy"/> says otherwise.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>A custom origin check run after <see cref="AllowedOrigins"/>; return false to refuse with 403.</summary>
    public Func<string?, bool>? OriginPolicy { get; set; }

    /// <summary>
    /// Run the frame engine directly on the connection's transport pipes when the server offers them (Kestrel over
    /// HTTP/1.1), rather than through the upgraded request stream: fewer copies per message. Default true.
    /// </summary>
    public bool UseTransportPipes { get; set; } = true;

    private TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);
    private int _maxRequestHeadBytes = 16 * 1024;

    /// <summary>
    /// For endpoints that accept the handshake themselves (<c>ListenOptions.UseWebSocketServer</c>): the time a client
    /// has to send its whole request head (default 10 s). Endpoints mapped with <c>MapWebSocket</c> use Kestrel's
    /// <c>RequestHeadersTimeout</c>.
    /// </summary>
    public TimeSpan HandshakeTimeout
    {
        get => _handshakeTimeout;
        set => _handshakeTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10) ? value
            : throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), value, "HandshakeTimeout must be between 0 (exclusive) and 10 minutes.");
    }

    /// <summary>
    /// For endpoints that accept the handshake themselves: the largest request head accepted (default 16 KiB); a larger
    /// one is refused with 431.
    /// </summary>
    public int MaxRequestHeadBytes
    {
        get => _maxRequestHeadBytes;
        set => _maxRequestHeadBytes = value is >= 256 and <= 1024 * 1024 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRequestHeadBytes), value, "MaxRequestHeadBytes must be between 256 and 1048576.");
    }

    /// <summary>The host's drain, when one is registered; set when the endpoint is mapped.</summary>
    internal WebSocketDrain? Drain { get; set; }

    /// <summary>The engine's logger from the host's services; set when the endpoint is mapped.</summary>
    internal Microsoft.Extensions.Logging.ILogger? Logger { get; set; }

    internal bool IsOriginAllowed(string? origin)
    {
        if (origin is not null && AllowedOrigins.Count > 0)
        {
            bool listed = false;
            foreach (var allowed in AllowedOrigins)
            {
                if (string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase)) { listed = true; break; }
            }
            if (!listed) return false;
        }
        return OriginPolicy?.Invoke(origin) ?? true;
    }
}
