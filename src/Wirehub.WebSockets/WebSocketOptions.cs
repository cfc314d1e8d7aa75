using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// Limits and timeouts of a connection. Every setter validates its value and throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its accepted range.
/// </summary>
public class WebSocketOptions
{
    private long _maxMessageSize = 16 * 1024 * 1024;
    private long _maxFrameSize = 16 * 1024 * 1024;
    private long _sendQueueLimit = 1024 * 1024;
    private TimeSpan _keepAliveInterval = TimeSpan.FromSeconds(30);
    private TimeSpan _keepAliveTimeout = TimeSpan.FromSeconds(30);
    private TimeSpan _closeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Largest message accepted, after inflation, in bytes (default 16 MiB). Larger ones close with 1009.</summary>
    public long MaxMessageSize
    {
        get => _maxMessageSize;
        set => _maxMessageSize = InRange(value, 1, int.MaxValue, nameof(MaxMessageSize));
    }

    /// <summary>Largest frame payload accepted, in bytes (default 16 MiB). Larger frames close with 1009.</summary>
    public long MaxFrameSize
    {
        get => _maxFrameSize;
        set => _maxFrameSize = InRange(value, 125, long.MaxValue, nameof(MaxFrameSize));
    }

    /// <summary>
    /// Bytes a connection may hold queued for sending while the peer does not read (default 1 MiB); past it
    /// <see cref="SendQueueFullPolicy"/> applies. A single message larger than the limit is still accepted when the
    /// queue is empty.
    /// </summary>
    public long SendQueueLimit
    {
        get => _sendQueueLimit;
        set => _sendQueueLimit = InRange(value, 1024, long.MaxValue, nameof(SendQueueLimit));
    }

    /// <summary>What a send does when the send queue is full (default <see cref="SendQueueFullPolicy.Wait"/>).</summary>
    public SendQueueFullPolicy SendQueueFullPolicy { get; set; } = SendQueueFullPolicy.Wait;

    /// <summary>
    /// How long the connection may stay silent before a ping is sent (default 30 s); <see cref="TimeSpan.Zero"/>
    /// turns keep-alive off. All connections share one sweep, so this is accurate to about a second.
    /// </summary>
    public TimeSpan KeepAliveInterval
    {
        get => _keepAliveInterval;
        set => _keepAliveInterval = InRange(value, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(KeepAliveInterval));
    }

    /// <summary>How long to wait for any data (a pong or anything else) after a keep-alive ping before the peer is
    /// declared dead and the connection aborted (default 30 s).</summary>
    public TimeSpan KeepAliveTimeout
    {
        get => _keepAliveTimeout;
        set => _keepAliveTimeout = InRange(value, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), nameof(KeepAliveTimeout));
    }

    /// <summary>How long the closing handshake may take before the connection is aborted (default 5 s).</summary>
    public TimeSpan CloseTimeout
    {
        get => _closeTimeout;
        set => _closeTimeout = InRange(value, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), nameof(CloseTimeout));
    }

    /// <summary>Answer pings with pongs automatically (default true).</summary>
    public bool AutoPong { get; set; } = true;

    /// <summary>
    /// permessage-deflate (RFC 7692) settings, or null to neither offer nor accept compression. Servers accept it by
    /// default; clients offer it by default.
    /// </summary>
    public PerMessageDeflateOptions? PerMessageDeflate { get; set; } = new();

    private static long InRange(long value, long min, long max, string name) =>
        value >= min && value <= max ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");

    private static TimeSpan InRange(TimeSpan value, TimeSpan min, TimeSpan max, string name) =>
        value >= min && value <= max ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
}
