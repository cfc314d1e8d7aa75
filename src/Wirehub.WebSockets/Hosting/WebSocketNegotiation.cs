using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// The server's side of what a valid upgrade request negotiates, shared by every way of accepting one: the origin
/// check, the subprotocol (server preference) and permessage-deflate; then the handler's run with the endpoint's close
/// rules.
/// </summary>
internal static class WebSocketNegotiation
{
    private static readonly HandshakeRejection MalformedExtensions =
        new(400, "The Sec-WebSocket-Extensions header is malformed (RFC 6455 §9.1); fix its syntax.");

    public static HandshakeRejection? Negotiate(WebSocketServerOptions options, string? origin, string? subprotocols,
        string? extensions, out string? subProtocol, out string? extensionsResponse, out PerMessageDeflateParameters? deflate)
    {
        subProtocol = null;
        extensionsResponse = null;
        deflate = null;
        if (!options.IsOriginAllowed(origin)) return HandshakeRejection.OriginNotAllowed;
        if (options.Subprotocols.Count > 0)
            subProtocol = SubprotocolSelector.Select(subprotocols, (IReadOnlyList<string>)options.Subprotocols);
        if (options.PerMessageDeflate is { } deflateOptions &&
            !PerMessageDeflateNegotiator.TryAccept(extensions, deflateOptions, out extensionsResponse, out deflate))
            return MalformedExtensions;
        return null;
    }

    /// <summary>Starts a handler; one that throws before its first await is reported like one that fails later.</summary>
    public static Task Start<TContext>(Func<WebSocketConnection, TContext, Task> handler, WebSocketConnection connection, TContext context)
    {
        try { return handler(connection, context); }
        catch (Exception ex) { return Task.FromException(ex); }
    }

    /// <summary>
    /// Awaits the running handler; afterwards an unclosed connection is closed with 1000 (also when the handler only started the
    /// close: the handshake is finished rather than the transport aborted, which would drop frames on their way out),
    /// and with 1011 when the handler throws.
    /// </summary>
    public static async Task RunAsync(WebSocketConnection connection, Task running, CancellationToken aborted,
        WebSocketServerOptions options, string connectionId)
    {
        try
        {
            await running.ConfigureAwait(false);
            if (connection.State != WebSocketState.Closed)
                await connection.CloseAsync(CloseStatus.NormalClosure, null, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (connection.State != WebSocketState.Closed)
        {
            ServerConnectionLifecycle.Failed(options, connectionId, ex);
            try { await connection.CloseAsync(CloseStatus.InternalError, "The server failed while handling the connection.").ConfigureAwait(false); }
            catch (Exception) { connection.Abort(); }
            throw;
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            ServerConnectionLifecycle.Closed(connection, options, connectionId);
        }
    }
}
