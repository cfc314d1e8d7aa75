namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The HTTP fallback transports that <c>MapWirehub</c> serves beside the WebSocket endpoint (PROTOCOL.md, "Fallback
/// transports"): Server-Sent Events with POST at <c>P/sse</c>, and long polling at <c>P/poll</c>.
/// </summary>
public sealed class FallbackTransportOptions
{
    /// <summary>Whether the fallback endpoints are mapped (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Interval of the <c>: keep-alive</c> comment on an event stream (default 15 s).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a poll is held when no frame is pending before it answers <c>{"frames":[]}</c> (default 25 s).</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// How long a long-polling session lives with no poll outstanding; then it is dropped as an abnormal closure and
    /// its client recovers on a new session (default 30 s).
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
