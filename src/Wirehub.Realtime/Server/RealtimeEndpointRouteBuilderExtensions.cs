using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wirehub.Realtime.Server.Transports;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server;

/// <summary>Maps the realtime endpoints; the services come from <see cref="RealtimeServiceCollectionExtensions.AddWirehub"/>.</summary>
public static class RealtimeEndpointRouteBuilderExtensions
{
    /// <summary>Room for a request's envelope around the largest data, in a WebSocket frame or a fallback POST body.</summary>
    internal const int EnvelopeAllowance = 16 * 1024;

    /// <summary>
    /// Serves <c>wirehub.v1</c> at <paramref name="pattern"/> (usually <c>/connection</c>), and the fallback transports
    /// under it (<c>/sse</c>, <c>/poll</c>) unless <paramref name="fallback"/> turns them off. The WebSocket speaks
    /// <c>wirehub.v1</c> or <c>wirehub.v1.msgpack</c>, whichever the client lists first; a handshake that offers neither is
    /// refused with 400.
    /// </summary>
    public static IEndpointConventionBuilder MapWirehub(this IEndpointRouteBuilder endpoints, string pattern,
        FallbackTransportOptions? fallback = null)
    {
        var hub = endpoints.ServiceProvider.GetService<RealtimeHub>()
            ?? throw new InvalidOperationException("The realtime services are not registered: call services.AddWirehub() first.");
        return Map(endpoints, pattern, hub, fallback);
    }

    /// <summary>
    /// Serves <c>wirehub.v1</c> at <paramref name="pattern"/> with <paramref name="options"/>, and the fallback transports
    /// under it unless <paramref name="fallback"/> turns them off. When the options are those registered by
    /// <see cref="RealtimeServiceCollectionExtensions.AddWirehub"/>, the registered hub (and its
    /// <see cref="IRealtimePublisher"/>) serves; otherwise a hub of its own with an in-memory broker does.
    /// </summary>
    public static IEndpointConventionBuilder MapWirehub(this IEndpointRouteBuilder endpoints, string pattern, RealtimeOptions options,
        FallbackTransportOptions? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (endpoints.ServiceProvider.GetService<RealtimeHub>() is { } registered && ReferenceEquals(registered.Options, options))
            return Map(endpoints, pattern, registered, fallback);
        var broker = new Broker.InMemoryBroker(options.RulesOf);
        return Map(endpoints, pattern, new RealtimeHub(options, broker, new Broker.InMemoryPresenceStore(broker)), fallback);
    }

    private static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern, RealtimeHub hub,
        FallbackTransportOptions? fallback)
    {
        var webSocket = MapWebSocketEndpoint(endpoints, pattern, hub);
        fallback ??= new FallbackTransportOptions();
        if (!fallback.Enabled) return webSocket;
        return new CombinedEndpointConventionBuilder([webSocket, .. FallbackTransportEndpoints.Map(endpoints, pattern, hub, fallback)]);
    }

    private static IEndpointConventionBuilder MapWebSocketEndpoint(IEndpointRouteBuilder endpoints, string pattern, RealtimeHub hub)
    {
        var options = hub.Options;
        var builder = endpoints.MapWebSocket(pattern, (connection, context) => hub.RunAsync(connection, context.RequestAborted), ws =>
            {
                ws.Subprotocols.Add(RealtimeOptions.Subprotocol);
                ws.Subprotocols.Add(Protocol.MessagePackProtocol.Subprotocol);
                // Room for the request's envelope around the largest data; a larger frame is closed with 1009.
                ws.MaxMessageSize = options.MaxMessageSize + EnvelopeAllowance;
                ws.SendQueueLimit = options.SendQueueLimit;
                ws.SendQueueFullPolicy = SendQueueFullPolicy.Close;
                foreach (var origin in options.AllowedOrigins) ws.AllowedOrigins.Add(origin);
                options.ConfigureWebSocket?.Invoke(ws);
            });
        builder.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = async context =>
            {
                if (PreferredSubprotocol(context.Request) is not { } subprotocol)
                {
                    await RefuseAsync(context).ConfigureAwait(false);
                    return;
                }
                // The client lists its subprotocols by preference (RFC 6455 §4.1): leave the engine only its first choice.
                context.Request.Headers.SecWebSocketProtocol = subprotocol;
                if (!hub.Admission.TryAdmit())
                {
                    await BusyAsync(context).ConfigureAwait(false);
                    return;
                }
                // The upgrade runs the connection to its end: the slot is held exactly as long as the connection.
                try { await inner(context).ConfigureAwait(false); }
                finally { hub.Admission.Release(); }
            };
        });
        return builder;
    }

    /// <summary>Serves <c>POST /api/publish</c> at <paramref name="pattern"/>, authorised by <see cref="RealtimeOptions.ApiKey"/>.</summary>
    public static IEndpointConventionBuilder MapWirehubPublish(this IEndpointRouteBuilder endpoints, string pattern = "/api/publish")
    {
        var options = endpoints.ServiceProvider.GetService<RealtimeOptions>()
            ?? throw new InvalidOperationException("The realtime services are not registered: call services.AddWirehub() first.");
        var publisher = endpoints.ServiceProvider.GetRequiredService<IRealtimePublisher>();
        return endpoints.MapPost(pattern, context => PublishEndpoint.HandleAsync(context, options, publisher));
    }

    /// <summary>The first subprotocol the client offers that is served here (JSON or MessagePack), or null.</summary>
    private static string? PreferredSubprotocol(HttpRequest request)
    {
        foreach (var value in request.Headers.SecWebSocketProtocol)
            foreach (var token in (value ?? "").Split(','))
                if (token.Trim() is RealtimeOptions.Subprotocol or Protocol.MessagePackProtocol.Subprotocol) return token.Trim();
        return null;
    }

    private static Task BusyAsync(HttpContext context)
    {
        context.Response.StatusCode = 503;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("The server is at its connection limit: retry after the Retry-After delay.\n");
    }

    private static Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = 400;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"Offer the WebSocket subprotocol {RealtimeOptions.Subprotocol} or {Protocol.MessagePackProtocol.Subprotocol} (Sec-WebSocket-Protocol).\n");
    }
}
