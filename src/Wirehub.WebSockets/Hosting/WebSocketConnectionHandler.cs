using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// Accepts WebSocket connections on a Kestrel endpoint at the connection level: reads the HTTP/1.1 upgrade request
/// itself, answers 101 and runs the frame engine on the transport's pipes. It skips ASP.NET Core's per-request
/// machinery (HttpContext, header dictionaries, routing), which a long-lived WebSocket would otherwise keep alive for
/// its whole life: handshakes are cheaper and idle connections smaller. Anything but a valid upgrade gets a one-line
/// error response and the connection is closed.
/// </summary>
internal static class WebSocketConnectionHandler
{
    private static readonly HandshakeRejection MalformedRequest =
        new(400, "The request is not a valid HTTP/1.1 request head; send a WebSocket upgrade request.");

    public static Task HandleAsync(ConnectionContext context, WebSocketServerOptions options,
        Func<WebSocketConnection, WebSocketRequest, Task> handler)
    {
        // The handshake's state (request head, strings, timers) lives in AcceptAsync and is garbage once it returns:
        // what stays for the connection's life is the connection, its handler and their run, and no frame of this
        // method (at tens of thousands of idle connections, every frame kept counts).
        var accepting = AcceptAsync(context, options, handler);
        return accepting.IsCompletedSuccessfully ? accepting.Result : accepting.Unwrap();
    }

    /// <summary>Reads and answers the upgrade; returns the connection's run, or a completed task when it was refused.</summary>
    private static async Task<Task> AcceptAsync(ConnectionContext context,
        WebSocketServerOptions options, Func<WebSocketConnection, WebSocketRequest, Task> handler)
    {
        var input = context.Transport.Input;
        var output = context.Transport.Output;
        HttpRequestHead? head = null;
        HandshakeRejection? rejection = null;
        using (var timeout = new CancellationTokenSource(options.HandshakeTimeout))
        {
            try
            {
                while (true)
                {
                    var result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                    var status = HttpRequestHead.TryRead(result.Buffer, options.MaxRequestHeadBytes, out head, out var consumed);
                    if (status == HttpHeadReadStatus.Complete)
                    {
                        input.AdvanceTo(consumed);
                        break;
                    }
                    input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                    if (status == HttpHeadReadStatus.Malformed) { rejection = MalformedRequest; break; }
                    if (status == HttpHeadReadStatus.TooLarge)
                    {
                        rejection = new HandshakeRejection(431, $"The request head exceeds {options.MaxRequestHeadBytes} bytes.");
                        break;
                    }
                    if (result.IsCompleted) return Task.CompletedTask; // the client left before finishing its request
                }
            }
            catch (OperationCanceledException)
            {
                ServerConnectionLifecycle.TimedOut(options, context.ConnectionId);
                return Task.CompletedTask; // no complete request head in time: drop the connection
            }
            catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException)
            {
                return Task.CompletedTask;
            }
        }

        string? subProtocol = null, extensionsResponse = null;
        PerMessageDeflateParameters? deflate = null;
        if (rejection is null)
        {
            rejection = HandshakeValidator.Validate(new HandshakeRequest(head!.Method, head.Version, head.GetHeader("Host"),
                head.GetHeader("Upgrade"), head.GetHeader("Connection"), head.GetHeader("Sec-WebSocket-Key"),
                head.GetHeader("Sec-WebSocket-Version"), head.GetHeader("Origin"), head.GetHeader("Sec-WebSocket-Protocol"),
                head.GetHeader("Sec-WebSocket-Extensions")));
            rejection ??= WebSocketNegotiation.Negotiate(options, head.GetHeader("Origin"), head.GetHeader("Sec-WebSocket-Protocol"),
                head.GetHeader("Sec-WebSocket-Extensions"), out subProtocol, out extensionsResponse, out deflate);
        }
        if (rejection is null && ServerConnectionLifecycle.IsDraining(options))
        {
            ServerConnectionLifecycle.WriteDraining(output, options, context.ConnectionId);
            try { await output.FlushAsync().ConfigureAwait(false); }
            catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException) { }
            return Task.CompletedTask;
        }
        if (rejection is not null)
        {
            ServerConnectionLifecycle.Refused(options, context.ConnectionId, rejection.StatusCode, rejection.Reason);
            WriteRejection(output, rejection);
            try { await output.FlushAsync().ConfigureAwait(false); }
            catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException) { }
            return Task.CompletedTask;
        }

        WriteSwitchingProtocols(output, HandshakeKey.ComputeAccept(head!.GetHeader("Sec-WebSocket-Key")), subProtocol, extensionsResponse);
        try { await output.FlushAsync().ConfigureAwait(false); }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException) { return Task.CompletedTask; }
        var connection = WebSocketConnection.Create(context.Transport, WebSocketRole.Server, options, subProtocol, deflate, context.Abort);
        ServerConnectionLifecycle.Opened(connection, options, context.ConnectionId, head.Target);
        var running = WebSocketNegotiation.Start(handler, connection, new WebSocketRequest(head, context.RemoteEndPoint));
        return WebSocketNegotiation.RunAsync(connection, running, context.ConnectionClosed, options, context.ConnectionId);
    }

    private static void WriteSwitchingProtocols(PipeWriter output, string accept, string? subProtocol, string? extensions)
    {
        var head = new StringBuilder(160)
            .Append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
            .Append(accept).Append("\r\n");
        if (subProtocol is not null) head.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        if (extensions is not null) head.Append("Sec-WebSocket-Extensions: ").Append(extensions).Append("\r\n");
        head.Append("\r\n");
        Write(output, head.ToString());
    }

    private static void WriteRejection(PipeWriter output, HandshakeRejection rejection)
    {
        string body = rejection.Reason + "\n";
        var head = new StringBuilder(256)
            .Append("HTTP/1.1 ").Append(rejection.StatusCode).Append(' ').Append(ReasonPhrase(rejection.StatusCode)).Append("\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n")
            .Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n");
        if (rejection.RequiresVersionHeader) head.Append("Sec-WebSocket-Version: ").Append(HandshakeValidator.SupportedVersion).Append("\r\nUpgrade: websocket\r\n");
        head.Append("\r\n").Append(body);
        Write(output, head.ToString());
    }

    private static void Write(PipeWriter output, string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, output.GetSpan(length));
        output.Advance(length);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    };
}
