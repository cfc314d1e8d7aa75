using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// The server side of the opening handshake on ASP.NET Core: validates the request (RFC 6455 §4.2.1, or RFC 8441
/// extended CONNECT over HTTP/2), negotiates subprotocol and permessage-deflate, answers 101 (or 200 on HTTP/2) and
/// runs the handler on the resulting connection. A refused handshake gets 400, 403 or 426 with a one-line reason.
/// </summary>
internal static class WebSocketUpgrade
{
    public static async Task HandleAsync(HttpContext context, WebSocketServerOptions options,
        Func<WebSocketConnection, HttpContext, Task> handler)
    {
        if (ServerConnectionLifecycle.IsDraining(options))
        {
            await ServerConnectionLifecycle.RefuseDrainingAsync(context, options).ConfigureAwait(false);
            return;
        }
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        bool http2 = connect is { IsExtendedConnect: true };
        var request = context.Request;
        var headers = request.Headers;
        HandshakeRejection? rejection;
        if (http2)
        {
            rejection = !string.Equals(connect!.Protocol, "websocket", StringComparison.OrdinalIgnoreCase)
                ? new HandshakeRejection(400, "Extended CONNECT must name the protocol \"websocket\" (RFC 8441).")
                : headers.SecWebSocketVersion.ToString() != HandshakeValidator.SupportedVersion
                    ? HandshakeRejection.UnsupportedVersion : null;
        }
        else
        {
            rejection = HandshakeValidator.Validate(new HandshakeRequest(request.Method, request.Protocol,
                Join(headers.Host), Join(headers.Upgrade), Join(headers.Connection), Join(headers.SecWebSocketKey),
                Join(headers.SecWebSocketVersion), Join(headers.Origin), Join(headers.SecWebSocketProtocol),
                Join(headers.SecWebSocketExtensions)));
        }
        string? subProtocol = null;
        string? extensionsResponse = null;
        PerMessageDeflateParameters? deflate = null;
        rejection ??= WebSocketNegotiation.Negotiate(options, Join(headers.Origin), Join(headers.SecWebSocketProtocol),
            Join(headers.SecWebSocketExtensions), out subProtocol, out extensionsResponse, out deflate);
        if (rejection is not null)
        {
            await RejectAsync(context, rejection, options).ConfigureAwait(false);
            return;
        }

        var responseHeaders = context.Response.Headers;
        if (subProtocol is not null) responseHeaders.SecWebSocketProtocol = subProtocol;
        if (extensionsResponse is not null) responseHeaders.SecWebSocketExtensions = extensionsResponse;
        IDuplexPipe transport;
        if (http2)
        {
            var stream = await connect!.AcceptAsync().ConfigureAwait(false);
            transport = new StreamDuplexPipe(stream);
        }
        else
        {
            var upgrade = context.Features.Get<IHttpUpgradeFeature>();
            if (upgrade is not { IsUpgradableRequest: true })
            {
                await RejectAsync(context, new HandshakeRejection(400, "This server cannot upgrade the request; send an HTTP/1.1 upgrade request."), options).ConfigureAwait(false);
                return;
            }
            responseHeaders.Upgrade = "websocket";
            responseHeaders.Connection = "Upgrade";
            responseHeaders.SecWebSocketAccept = HandshakeKey.ComputeAccept(headers.SecWebSocketKey.ToString());
            var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
            var pipes = options.UseTransportPipes ? context.Features.Get<IConnectionTransportFeature>()?.Transport : null;
            transport = pipes ?? new StreamDuplexPipe(stream);
        }

        var connection = WebSocketConnection.Create(transport, WebSocketRole.Server, options, subProtocol, deflate, context.Abort);
        // One TCP connection carries many WebSockets over HTTP/2: there the request's identifier tells them apart.
        string connectionId = http2 ? context.TraceIdentifier : context.Connection.Id;
        ServerConnectionLifecycle.Opened(connection, options, connectionId, request.Path.Value ?? "/");
        await WebSocketNegotiation.RunAsync(connection, WebSocketNegotiation.Start(handler, connection, context), context.RequestAborted,
            options, connectionId).ConfigureAwait(false);
    }

    private static Task RejectAsync(HttpContext context, HandshakeRejection rejection, WebSocketServerOptions options)
    {
        ServerConnectionLifecycle.Refused(options, context.Connection.Id, rejection.StatusCode, rejection.Reason);
        var response = context.Response;
        response.StatusCode = rejection.StatusCode;
        if (rejection.RequiresVersionHeader)
        {
            response.Headers.SecWebSocketVersion = HandshakeValidator.SupportedVersion;
            response.Headers.Upgrade = "websocket";
        }
        response.ContentType = "text/plain; charset=utf-8";
        // A declared length (not chunked) lets any client read the reason before giving up on the connection.
        string body = rejection.Reason + "\n";
        response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
        return response.WriteAsync(body);
    }

    private static string? Join(Microsoft.Extensions.Primitives.StringValues values) => values.Count switch
    {
        0 => null,
        1 => values[0],
        _ => string.Join(", ", values.ToArray()),
    };
}
