using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Wirehub.WebSockets;

/// <summary>Dedicates a Kestrel endpoint to WebSockets, accepted at the connection level.</summary>
public static class WebSocketListenOptionsExtensions
{
    /// <summary>
    /// Serves only WebSocket connections on this endpoint: the HTTP/1.1 upgrade is read and answered by the engine
    /// itself, without ASP.NET Core's request pipeline, so handshakes are cheaper and an idle connection holds only the
    /// transport and the engine's state. Use it for a dedicated WebSocket port; use <c>MapWebSocket</c> to serve
    /// WebSockets beside HTTP endpoints (with routing, authentication and HTTP/2). Any path is accepted: the handler
    /// sees it in <see cref="WebSocketRequest.Path"/>.
    /// </summary>
    public static ListenOptions UseWebSocketServer(this ListenOptions listenOptions,
        Func<WebSocketConnection, WebSocketRequest, Task> handler, Action<WebSocketServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(handler);
        var options = new WebSocketServerOptions();
        configure?.Invoke(options);
        ServerConnectionLifecycle.Bind(options, listenOptions.ApplicationServices);
        listenOptions.Use(_ => context => WebSocketConnectionHandler.HandleAsync(context, options, handler));
        return listenOptions;
    }
}
