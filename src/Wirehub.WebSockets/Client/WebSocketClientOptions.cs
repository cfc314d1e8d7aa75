using System.Net.Security;

namespace Wirehub.WebSockets;

/// <summary>Options of a <see cref="WebSocketClient"/>: connection limits plus what the opening handshake sends.</summary>
public sealed class WebSocketClientOptions : WebSocketOptions
{
    private TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);
    private int _maxHandshakeResponseBytes = 16 * 1024;

    /// <summary>Subprotocols to offer, most preferred first.</summary>
    public IList<string> Subprotocols { get; } = new List<string>();

    /// <summary>Extra request headers (for example Authorization). Headers the handshake owns are refused.</summary>
    public IList<KeyValuePair<string, string>> Headers { get; } = new List<KeyValuePair<string, string>>();

    /// <summary>The Origin header to send, or null for none (browsers always send one; other clients need not).</summary>
    public string? Origin { get; set; }

    /// <summary>Time allowed for connecting, TLS and the opening handshake together (default 10 s).</summary>
    public TimeSpan HandshakeTimeout
    {
        get => _handshakeTimeout;
        set => _handshakeTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10) ? value
            : throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), value, "HandshakeTimeout must be between 0 (exclusive) and 10 minutes.");
    }

    /// <summary>Largest handshake response head accepted, in bytes (default 16 KiB).</summary>
    public int MaxHandshakeResponseBytes
    {
        get => _maxHandshakeResponseBytes;
        set => _maxHandshakeResponseBytes = value is >= 256 and <= 1024 * 1024 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxHandshakeResponseBytes), value, "MaxHandshakeResponseBytes must be between 256 and 1048576.");
    }

    /// <summary>
    /// Validates the server certificate for wss:// (default: the system's validation, which must pass). Override
    /// only for tests or pinned certificates.
    /// </summary>
    public RemoteCertificateValidationCallback? RemoteCertificateValidationCallback { get; set; }
}
