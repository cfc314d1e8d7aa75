namespace Wirehub.Realtime.Client;

/// <summary>Options of a <see cref="RealtimeClient"/>. Read when the client is created and on each connection.</summary>
public sealed class RealtimeClientOptions
{
    private TimeSpan _reconnectInitialDelay = TimeSpan.FromSeconds(0.5);
    private TimeSpan _reconnectMaxDelay = TimeSpan.FromSeconds(20);
    private double _reconnectFactor = 2;
    private TimeSpan _pingTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _sendTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A JWT to send in <c>connect</c>; null for anonymous access. Ignored when <see cref="TokenProvider"/> is set.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Fetches a fresh JWT: called before the first connection, when the server asks for a refresh
    /// (<c>refresh_required</c>) and when it closes with 4002 (token expired). Without it, a 4002 close is final.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>The client id anonymous clients propose; the server keeps it when valid.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The wire encoding: <see cref="RealtimeEncoding.Json"/> (default, subprotocol <c>wirehub.v1</c>) or
    /// <see cref="RealtimeEncoding.MessagePack"/> (<c>wirehub.v1.msgpack</c>). Everything else behaves the same.
    /// </summary>
    public RealtimeEncoding Encoding { get; set; } = RealtimeEncoding.Json;

    /// <summary>Upper bound of the first reconnect delay (default 0.5 s); each delay is drawn uniformly below its bound (full jitter).</summary>
    public TimeSpan ReconnectInitialDelay
    {
        get => _reconnectInitialDelay;
        set => _reconnectInitialDelay = value >= TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(ReconnectInitialDelay), value, "ReconnectInitialDelay must be between 0 and 1 hour.");
    }

    /// <summary>The largest bound any reconnect delay may reach (default 20 s).</summary>
    public TimeSpan ReconnectMaxDelay
    {
        get => _reconnectMaxDelay;
        set => _reconnectMaxDelay = value >= TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(ReconnectMaxDelay), value, "ReconnectMaxDelay must be between 0 and 1 hour.");
    }

    /// <summary>How much the delay bound grows after each failed attempt (default 2).</summary>
    public double ReconnectFactor
    {
        get => _reconnectFactor;
        set => _reconnectFactor = value is >= 1 and <= 10 ? value
            : throw new ArgumentOutOfRangeException(nameof(ReconnectFactor), value, "ReconnectFactor must be between 1 and 10.");
    }

    /// <summary>
    /// How long past the server's ping interval the client waits for any frame before it declares the server silent,
    /// drops the connection and reconnects (default 10 s, as the protocol recommends).
    /// </summary>
    public TimeSpan PingTimeout
    {
        get => _pingTimeout;
        set => _pingTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(PingTimeout), value, "PingTimeout must be between 0 (exclusive) and 1 hour.");
    }

    /// <summary>
    /// How long a request may wait for its answer, reconnects included (default 15 s), and how long the server has to
    /// answer <c>connect</c>. A request that runs out fails with <see cref="TimeoutException"/>.
    /// </summary>
    public TimeSpan SendTimeout
    {
        get => _sendTimeout;
        set => _sendTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(SendTimeout), value, "SendTimeout must be between 0 (exclusive) and 1 hour.");
    }
}
