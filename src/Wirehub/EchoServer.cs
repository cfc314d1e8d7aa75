using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wirehub.WebSockets;

namespace Wirehub.Cli;

/// <summary>
/// A bare WebSocket server on ws://127.0.0.1:port/ (any path) with permessage-deflate enabled, used by conformance
/// suites and benchmarks: echo sends every message back; broadcast sends every text message to every client.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConnectionSet _clients = new();

    private EchoServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The server's base URL, ws://127.0.0.1:port/.</summary>
    public Uri Url { get; }

    /// <summary>Starts the server; port 0 picks a free port.</summary>
    public static async Task<EchoServer> StartAsync(int port, EchoMode mode, CancellationToken cancellationToken = default,
        Action<WebSocketServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Echo and broadcast handlers never block, which is what the event-loop transport asks of them.
        if (OperatingSystem.IsLinux()) builder.Services.AddEventLoopTransport();
        else builder.Services.AddWebSocketTransportPool();
        EchoServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A dedicated WebSocket port: the engine accepts the upgrade itself, at the connection level.
            kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.UseWebSocketServer((connection, _) => mode == EchoMode.Echo
                ? EchoAsync(connection)
                : server!.BroadcastAsync(connection), options =>
            {
                options.KeepAliveInterval = TimeSpan.Zero;
                configure?.Invoke(options);
            }));
        });
        var app = builder.Build();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(app.Urls.First());
        server = new EchoServer(app, new Uri($"ws://127.0.0.1:{address.Port}/"));
        return server;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    private static async Task EchoAsync(WebSocketConnection connection)
    {
        while (true)
        {
            var message = await connection.ReceiveAsync().ConfigureAwait(false);
            if (message.IsClose) return;
            await connection.SendAsync(message.Data, message.Type).ConfigureAwait(false);
        }
    }

    private async Task BroadcastAsync(WebSocketConnection connection)
    {
        _clients.Add(connection);
        try
        {
            while (true)
            {
                var message = await connection.ReceiveAsync().ConfigureAwait(false);
                if (message.IsClose) return;
                if (message.Type != MessageType.Text) continue;
                // Framed once; every client gets the same bytes by reference.
                var prepared = PreparedMessage.Create(MessageType.Text, message.Data.IsSingleSegment ? message.Data.FirstSpan : message.Data.ToArray());
                foreach (var client in _clients.Snapshot)
                {
                    try
                    {
                        var send = client.SendAsync(prepared);
                        if (!send.IsCompletedSuccessfully) _ = ObserveAsync(send.AsTask());
                    }
                    catch (WebSocketClosedException)
                    {
                        // It is closing; its own loop removes it.
                    }
                }
            }
        }
        finally
        {
            _clients.Remove(connection);
        }
    }

    private static async Task ObserveAsync(Task send)
    {
        try { await send.ConfigureAwait(false); }
        catch (InvalidOperationException) { /* closed or a slow consumer cut loose: nothing to do */ }
    }

    /// <summary>Stops the server, closing its connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
