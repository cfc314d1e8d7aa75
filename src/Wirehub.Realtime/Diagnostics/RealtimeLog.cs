using Microsoft.Extensions.Logging;

namespace Wirehub.Realtime.Diagnostics;

/// <summary>
/// The realtime layer's log events (category <c>Wirehub.Realtime</c>). <c>SessionId</c> is the <c>connectionId</c>
/// the client receives in <c>connected</c> (kept across recovery); a WebSocket session's events are written inside the
/// request's log scope, which carries the transport's <c>ConnectionId</c>.
/// </summary>
internal static partial class RealtimeLog
{
    public const string Category = "Wirehub.Realtime";

    [LoggerMessage(EventId = 101, EventName = "SessionConnected", Level = LogLevel.Debug,
        Message = "Realtime session {SessionId} of client {ClientId} connected (recovered: {Recovered})")]
    public static partial void SessionConnected(ILogger logger, string sessionId, string clientId, bool recovered);

    [LoggerMessage(EventId = 102, EventName = "SessionEnded", Level = LogLevel.Debug,
        Message = "Realtime session {SessionId} of client {ClientId} ended (left for good: {LeftForGood})")]
    public static partial void SessionEnded(ILogger logger, string sessionId, string clientId, bool leftForGood);

    [LoggerMessage(EventId = 103, EventName = "RequestRateShed", Level = LogLevel.Information,
        Message = "Realtime session {SessionId} closed with 1013: it kept exceeding {RequestRate} frames per second")]
    public static partial void RequestRateShed(ILogger logger, string? sessionId, int requestRate);
}
