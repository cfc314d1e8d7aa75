using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Wirehub.WebSockets;

/// <summary>Maps WebSocket endpoints with ASP.NET Core endpoint routing.</summary>
public static class WebSocketEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves WebSocket connections at <paramref name="pattern"/>: the opening handshake is validated and negotiated,
    /// then <paramref name="handler"/> runs for the life of the connection. When it returns, an open connection is
    /// closed with 1000; when it throws, with 1011.
    /// </summary>
    public static IEndpointConventionBuilder MapWebSocket(this IEndpointRouteBuilder endpoints, string pattern,
        Func<WebSocketConnection, HttpContext, Task> handler, Action<WebSocketServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var options = new WebSocketServerOptions();
        configure?.Invoke(options);
        ServerConnectionLifecycle.Bind(options, endpoints.ServiceProvider);
        // Any method: the handshake validator answers non-GET HTTP/1.1 requests itself, and HTTP/2 uses CONNECT.
        return endpoints.Map(pattern, context => WebSocketUpgrade.HandleAsync(context, options, handler))
            .WithDisplayName($"WebSocket {pattern}");
    }

    /// <summary>Serves WebSocket connections at <paramref name="pattern"/> with a handler that needs only the connection.</summary>
    public static IEndpointConventionBuilder MapWebSocket(this IEndpointRouteBuilder endpoints, string pattern,
        Func<WebSocketConnection, Task> handler, Action<WebSocketServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapWebSocket(pattern, (connection, _) => handler(connection), configure);
    }
}
