using Microsoft.Extensions.Logging;

namespace Wirehub.WebSockets;

/// <summary>
/// The engine's log events (category <c>Wirehub.WebSockets</c>), each carrying the server's connection id as the
/// structured field <c>ConnectionId</c> (Kestrel's connection id, the one its own logs and scopes use; on HTTP/2 the
/// request's trace identifier, as one TCP connection carries many WebSockets). Per-connection events are Debug, so a busy
/// node logs nothing per connection unless asked to.
/// </summary>
internal static partial class WebSocketLog
{
    public const string Category = "Wirehub.WebSockets";

    [LoggerMessage(EventId = 1, EventName = "ConnectionOpened", Level = LogLevel.Debug,
        Message = "WebSocket {ConnectionId} opened on {Path} (subprotocol {SubProtocol}, extensions {Extensions})")]
    public static partial void ConnectionOpened(ILogger logger, string connectionId, string path, string? subProtocol, string? extensions);

    [LoggerMessage(EventId = 2, EventName = "ConnectionClosed", Level = LogLevel.Debug,
        Message = "WebSocket {ConnectionId} closed with {CloseStatus}: {CloseReason}")]
    public static partial void ConnectionClosed(ILogger logger, string connectionId, int closeStatus, string? closeReason);

    [LoggerMessage(EventId = 3, EventName = "ConnectionFailed", Level = LogLevel.Error,
        Message = "WebSocket {ConnectionId}: the handler failed; the connection was closed with 1011")]
    public static partial void ConnectionFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "HandshakeRefused", Level = LogLevel.Debug,
        Message = "WebSocket upgrade on {ConnectionId} refused with {StatusCode}: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, string connectionId, int statusCode, string reason);

    [LoggerMessage(EventId = 5, EventName = "DrainStarted", Level = LogLevel.Information,
        Message = "Draining: closing {ConnectionCount} connections (WebSocket and fallback sessions) with 1001 over {Window}; new upgrades and sessions are refused with 503")]
    public static partial void DrainStarted(ILogger logger, int connectionCount, TimeSpan window);

    [LoggerMessage(EventId = 6, EventName = "DrainCompleted", Level = LogLevel.Information,
        Message = "Drained: every connection is closed ({ConnectionCount} closed)")]
    public static partial void DrainCompleted(ILogger logger, int connectionCount);

    [LoggerMessage(EventId = 7, EventName = "DrainCut", Level = LogLevel.Warning,
        Message = "Drain cut short by the shutdown timeout with {ConnectionCount} connections still open; raise HostOptions.ShutdownTimeout or shorten the drain window")]
    public static partial void DrainCut(ILogger logger, int connectionCount);

    [LoggerMessage(EventId = 8, EventName = "HandshakeTimedOut", Level = LogLevel.Debug,
        Message = "WebSocket upgrade on {ConnectionId} dropped: no complete request head within the handshake timeout")]
    public static partial void HandshakeTimedOut(ILogger logger, string connectionId);
}
