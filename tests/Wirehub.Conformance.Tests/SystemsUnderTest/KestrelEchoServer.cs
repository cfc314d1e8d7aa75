using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wirehub.Conformance.Tests.SystemsUnderTest;

/// <summary>
/// An echo server built only from ASP.NET Core's own WebSocket support (Kestrel + System.Net.WebSockets, with
/// permessage-deflate), independent of Wirehub. It exists to check the harness against a known implementation.
/// </summary>
internal sealed class KestrelEchoServer : IAsyncDisposable
{
    private static readonly TimeSpan LingerAfterFailure = TimeSpan.FromMilliseconds(500);

    private readonly WebApplication _app;

    private KestrelEchoServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<KestrelEchoServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = true });
            await EchoAsync(socket, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelEchoServer(app, new Uri($"ws://127.0.0.1:{new Uri(address).Port}/"));
    }

    /// <summary>
    /// Sends every message back with its type; answers a Close with the same status (RFC 6455 §5.5.1). When
    /// System.Net.WebSockets fails the connection it sends its Close frame and aborts; returning at once would close
    /// the TCP connection with bytes still unread, which makes the kernel send a reset that can destroy that Close
    /// frame before the peer reads it. Lingering a moment lets the Close frame arrive, as an endpoint that waits
    /// for the closing handshake would (RFC 6455 §7.1.1).
    /// </summary>
    internal static async Task EchoAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    var status = socket.CloseStatus ?? WebSocketCloseStatus.Empty;
                    await socket.CloseOutputAsync(status, status == WebSocketCloseStatus.Empty ? null : socket.CloseStatusDescription, cancellationToken);
                    return;
                }
                message.Write(buffer.AsSpan(0, received.Count));
                if (!received.EndOfMessage) continue;
                await socket.SendAsync(message.WrittenMemory, received.MessageType, endOfMessage: true, cancellationToken);
                message.ResetWrittenCount();
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            // The peer broke the protocol or went away; System.Net.WebSockets has already sent its Close frame.
            await Task.Delay(LingerAfterFailure, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
