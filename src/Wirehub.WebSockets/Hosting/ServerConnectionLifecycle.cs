using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// What every way of accepting server connections reports: refusals, opens, failures and ends go to the metrics, the
/// log and the host's drain (when one is registered), the same for <c>MapWebSocket</c> and <c>UseWebSocketServer</c>.
/// </summary>
internal static class ServerConnectionLifecycle
{
    private const string DrainingBody = "The server is shutting down: connect again, another node will serve you.\n";

    private static readonly byte[] DrainingResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n" +
        $"Content-Length: {DrainingBody.Length}\r\n\r\n{DrainingBody}");

    /// <summary>Binds an endpoint to the host's drain and log, when it is mapped.</summary>
    public static void Bind(WebSocketServerOptions options, IServiceProvider services)
    {
        WebSocketMetrics.EnsureCreated();
        // Loads SHA-1 (the crypto assembly and OpenSSL) now: loaded on the first handshake instead, it needs free
        // descriptors, and a server already at its open-files limit would fail every handshake from then on.
        _ = HandshakeKey.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ==");
        options.Drain = services.GetService<WebSocketDrain>();
        options.Logger = services.GetService<ILoggerFactory>()?.CreateLogger(WebSocketLog.Category);
    }

    public static bool IsDraining(WebSocketServerOptions options) => options.Drain is { IsDraining: true };

    public static void Refused(WebSocketServerOptions options, string connectionId, int statusCode, string reason)
    {
        WebSocketMetrics.HandshakeRefused(statusCode);
        if (options.Logger is { } logger) WebSocketLog.HandshakeRefused(logger, connectionId, statusCode, reason);
    }

    public static void TimedOut(WebSocketServerOptions options, string connectionId)
    {
        WebSocketMetrics.HandshakeRefused(HandshakeFailure.Timeout);
        if (options.Logger is { } logger) WebSocketLog.HandshakeTimedOut(logger, connectionId);
    }

    /// <summary>Answers an upgrade request while draining: 503, so the client (or its load balancer) tries another node.</summary>
    public static Task RefuseDrainingAsync(HttpContext context, WebSocketServerOptions options)
    {
        Refused(options, context.TraceIdentifier, 503, DrainingBody.TrimEnd());
        var response = context.Response;
        response.StatusCode = 503;
        response.Headers.Connection = "close";
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = DrainingBody.Length;
        return response.WriteAsync(DrainingBody);
    }

    /// <inheritdoc cref="RefuseDrainingAsync(HttpContext, WebSocketServerOptions)"/>
    public static void WriteDraining(PipeWriter output, WebSocketServerOptions options, string connectionId)
    {
        Refused(options, connectionId, 503, DrainingBody.TrimEnd());
        output.Write(DrainingResponse);
    }

    public static void Opened(WebSocketConnection connection, WebSocketServerOptions options, string connectionId, string path)
    {
        WebSocketMetrics.ConnectionOpened();
        if (options.Logger is { } logger)
        {
            // The query string is left out: it may carry credentials (an access token).
            int query = path.IndexOf('?');
            WebSocketLog.ConnectionOpened(logger, connectionId, query < 0 ? path : path[..query], connection.SubProtocol, connection.Extensions);
        }
        // Accepted just as the drain began: it is closed like the others, at once.
        if (options.Drain is { } drain && !drain.TryTrack(connection)) WebSocketDrain.GoAway(connection);
    }

    public static void Failed(WebSocketServerOptions options, string connectionId, Exception exception)
    {
        if (options.Logger is { } logger) WebSocketLog.ConnectionFailed(logger, connectionId, exception);
    }

    public static void Closed(WebSocketConnection connection, WebSocketServerOptions options, string connectionId)
    {
        options.Drain?.Untrack(connection);
        WebSocketMetrics.ConnectionClosed(connection);
        if (options.Logger is { } logger)
            WebSocketLog.ConnectionClosed(logger, connectionId, connection.CloseStatus ?? CloseCode.AbnormalClosure, connection.CloseReason);
    }
}
