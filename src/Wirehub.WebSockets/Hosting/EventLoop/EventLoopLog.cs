using Microsoft.Extensions.Logging;

namespace Wirehub.WebSockets;

/// <summary>The event-loop transport's log messages.</summary>
internal static partial class EventLoopLog
{
    [LoggerMessage(EventId = 20, EventName = "EventLoopFailed", Level = LogLevel.Critical,
        Message = "An event loop stopped: epoll_wait failed with errno {Errno}; its connections are no longer served")]
    public static partial void LoopFailed(ILogger logger, int errno);

    [LoggerMessage(EventId = 21, EventName = "EventLoopEventFailed", Level = LogLevel.Error,
        Message = "Serving a socket event failed; the loop goes on with the others")]
    public static partial void EventFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 22, EventName = "AcceptFailed", Level = LogLevel.Debug,
        Message = "accept failed with errno {Errno}; the listener goes on")]
    public static partial void AcceptFailed(ILogger logger, int errno);

    [LoggerMessage(EventId = 23, EventName = "ConnectionRefusedForResources", Level = LogLevel.Warning,
        Message = "A connection was refused: accept failed with errno {Errno} (24 is the open-files limit: raise ulimit -n)")]
    public static partial void ConnectionRefused(ILogger logger, int errno);
}
