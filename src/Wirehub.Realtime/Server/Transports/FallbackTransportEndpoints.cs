using System.Buffers;
using System.IO.Pipelines;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wirehub.Realtime.Diagnostics;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The HTTP endpoints of the fallback transports under a realtime endpoint's path P (PROTOCOL.md, "Fallback
/// transports"): <c>GET P/sse</c> and <c>POST|DELETE P/sse/ID</c>; <c>POST P/poll</c> and <c>GET|POST|DELETE P/poll/ID</c>.
/// </summary>
internal static class FallbackTransportEndpoints
{
    private const string SessionParameter = "session";

    public static IEnumerable<IEndpointConventionBuilder> Map(IEndpointRouteBuilder endpoints, string pattern, RealtimeHub hub,
        FallbackTransportOptions options)
    {
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger(typeof(FallbackTransportEndpoints).FullName!);
        var drain = endpoints.ServiceProvider.GetService<WebSocketDrain>();
        var sessions = new EmulatedSessions(hub, logger, drain);
        var admission = new FallbackAdmission(hub, drain);
        // With a drain, the drain closes the sessions with the WebSockets, spread over its window; without, all go at once.
        if (drain is null) endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(sessions.CloseAll);
        string root = pattern.TrimEnd('/');
        string sse = root + "/sse", poll = root + "/poll";
        string sseSession = sse + "/{" + SessionParameter + "}", pollSession = poll + "/{" + SessionParameter + "}";
        // The sessions are endpoint metadata, so the endpoint's own table can be found (the tests count its sessions).
        return
        [
            endpoints.MapGet(sse, context => OpenSseAsync(context, admission, sessions, options)).WithMetadata(sessions),
            endpoints.MapPost(sseSession, context => PostAsync<SseTransport>(context, hub, sessions)).WithMetadata(sessions),
            endpoints.MapDelete(sseSession, context => DeleteAsync<SseTransport>(context, hub, sessions)).WithMetadata(sessions),
            endpoints.MapPost(poll, context => OpenPollAsync(context, admission, sessions, options)).WithMetadata(sessions),
            endpoints.MapGet(pollSession, context => PollAsync(context, hub, sessions, options)).WithMetadata(sessions),
            endpoints.MapPost(pollSession, context => PostAsync<PollTransport>(context, hub, sessions)).WithMetadata(sessions),
            endpoints.MapDelete(pollSession, context => DeleteAsync<PollTransport>(context, hub, sessions)).WithMetadata(sessions),
        ];
    }

    // ---- Server-Sent Events ----

    private static async Task OpenSseAsync(HttpContext context, FallbackAdmission admission, EmulatedSessions sessions,
        FallbackTransportOptions options)
    {
        if (!await AdmitAsync(context, admission).ConfigureAwait(false)) return;
        var hub = admission.Hub;
        var transport = new SseTransport(TransportSessionId.New(), hub.Options.SendQueueLimit);
        sessions.Add(transport);
        try
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            // Proxies that buffer responses (nginx) would hold the events back.
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var running = sessions.RunSessionAsync(transport);
            using (context.RequestAborted.UnsafeRegister(static state => ((SseTransport)state!).Abort("The client closed the event stream."), transport))
            {
                await transport.WriteEventsAsync(response.BodyWriter, options.KeepAliveInterval, hub.Time).ConfigureAwait(false);
            }
            await running.ConfigureAwait(false);
        }
        finally
        {
            sessions.Remove(transport);
        }
    }

    // ---- Long polling ----

    private static async Task OpenPollAsync(HttpContext context, FallbackAdmission admission, EmulatedSessions sessions,
        FallbackTransportOptions options)
    {
        if (!await AdmitAsync(context, admission).ConfigureAwait(false)) return;
        var hub = admission.Hub;
        var transport = new PollTransport(TransportSessionId.New(), hub.Options.SendQueueLimit, options.SessionTimeout, hub.Time, sessions.Remove);
        sessions.Add(transport);
        _ = sessions.RunSessionAsync(transport);
        var response = context.Response;
        response.ContentType = "application/json";
        await response.WriteAsync("{\"session\":\"" + transport.Id + "\"}").ConfigureAwait(false);
    }

    private static async Task PollAsync(HttpContext context, RealtimeHub hub, EmulatedSessions sessions, FallbackTransportOptions options)
    {
        if (!await OriginAllowedAsync(context, hub).ConfigureAwait(false)) return;
        var transport = sessions.Find<PollTransport>(SessionId(context));
        var start = transport?.TryBeginPoll() ?? PollStart.Gone;
        if (start == PollStart.Gone)
        {
            await UnknownSessionAsync(context).ConfigureAwait(false);
            return;
        }
        if (start == PollStart.Busy)
        {
            TransportMetrics.Record(FallbackRefusal.ConcurrentPoll);
            await RefuseAsync(context, StatusCodes.Status409Conflict,
                "A poll of this session is already outstanding: wait for its answer before polling again.").ConfigureAwait(false);
            return;
        }
        var response = context.Response;
        response.ContentType = "application/json";
        bool over = true;
        try
        {
            over = await transport!.PollAsync(response.BodyWriter, options.PollTimeout, hub.Time, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            if (over) sessions.Remove(transport!);
        }
    }

    // ---- Both ----

    private static async Task PostAsync<T>(HttpContext context, RealtimeHub hub, EmulatedSessions sessions) where T : EmulatedTransport
    {
        if (!await OriginAllowedAsync(context, hub).ConfigureAwait(false)) return;
        var transport = sessions.Find<T>(SessionId(context));
        if (transport is null)
        {
            await UnknownSessionAsync(context).ConfigureAwait(false);
            return;
        }
        // The same bound as a WebSocket frame: the largest data plus room for the request around it.
        int limit = hub.Options.MaxMessageSize + RealtimeEndpointRouteBuilderExtensions.EnvelopeAllowance;
        var (batch, refusal) = await ReadBodyAsync(context.Request, limit).ConfigureAwait(false);
        if (batch is null)
        {
            TransportMetrics.Record(refusal.Status == StatusCodes.Status413PayloadTooLarge ? FallbackRefusal.TooLarge : FallbackRefusal.InvalidUtf8);
            await RefuseAsync(context, refusal.Status, refusal.Reason).ConfigureAwait(false);
            return;
        }
        long length = batch.Length;
        if (!transport.TryPost(batch))
        {
            batch.Complete(false);
            await UnknownSessionAsync(context).ConfigureAwait(false);
            return;
        }
        FallbackTraffic.BodyReceived(transport.Type, length);
        if (await batch.Handled.ConfigureAwait(false)) context.Response.StatusCode = StatusCodes.Status204NoContent;
        else await UnknownSessionAsync(context).ConfigureAwait(false);
    }

    private static async Task DeleteAsync<T>(HttpContext context, RealtimeHub hub, EmulatedSessions sessions) where T : EmulatedTransport
    {
        if (!await OriginAllowedAsync(context, hub).ConfigureAwait(false)) return;
        var transport = sessions.Find<T>(SessionId(context));
        if (transport is null)
        {
            await UnknownSessionAsync(context).ConfigureAwait(false);
            return;
        }
        transport.CloseByClient();
        // An outstanding poll or the event stream delivers the close; a poll session without one has nobody to tell.
        if (transport is PollTransport { IsPolling: false }) sessions.Remove(transport);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static string SessionId(HttpContext context) => context.Request.RouteValues[SessionParameter] as string ?? "";

    /// <summary>Reads a POST body of at most <paramref name="limit"/> bytes of UTF-8 into a pooled buffer.</summary>
    private static async Task<(InboundBatch? Batch, (int Status, string Reason) Refusal)> ReadBodyAsync(HttpRequest request, int limit)
    {
        var tooLarge = (StatusCodes.Status413PayloadTooLarge,
            $"The body is larger than {limit} bytes: send fewer frames per request, each with data of at most the connection's maxMessageSize.");
        if (request.ContentLength > limit) return (null, tooLarge);
        var reader = request.BodyReader;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, limit));
        int length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var data = result.Buffer;
                if (length + data.Length > limit)
                {
                    reader.AdvanceTo(data.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, tooLarge);
                }
                if (length + data.Length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(buffer.Length * 2L, length + data.Length), limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (result.IsCompleted) break;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        // A WebSocket text frame must be UTF-8 (RFC 6455 §8.1); a POST body is held to the same rule.
        if (!Utf8.IsValid(buffer.AsSpan(0, length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, (StatusCodes.Status400BadRequest, "The body is not valid UTF-8: send wirehub.v1 frames as UTF-8 JSON."));
        }
        return (new InboundBatch(buffer, length), default);
    }

    /// <summary>
    /// Opening a session takes a connection slot: origin first (403), then the host's drain and the limits (503 with
    /// Retry-After), as for a WebSocket upgrade.
    /// </summary>
    private static async Task<bool> AdmitAsync(HttpContext context, FallbackAdmission admission)
    {
        if (!await OriginAllowedAsync(context, admission.Hub).ConfigureAwait(false)) return false;
        string? refusal = admission.TryAdmit();
        if (refusal is null) return true;
        context.Response.Headers.RetryAfter = "1";
        await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, refusal).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// The WebSocket endpoint's origin rule: no Origin header (not a browser) or one in the allowlist. Every fallback
    /// request starts here, so this is also where every answer is marked uncacheable: each is for one session, once.
    /// </summary>
    private static async Task<bool> OriginAllowedAsync(HttpContext context, RealtimeHub hub)
    {
        context.Response.Headers.CacheControl = "no-store";
        var allowed = hub.Options.AllowedOrigins;
        string? origin = context.Request.Headers.Origin;
        if (allowed.Count == 0 || string.IsNullOrEmpty(origin) || allowed.Contains(origin, StringComparer.OrdinalIgnoreCase)) return true;
        TransportMetrics.Record(FallbackRefusal.Origin);
        await RefuseAsync(context, StatusCodes.Status403Forbidden,
            $"The origin {origin} is not allowed to open realtime connections.").ConfigureAwait(false);
        return false;
    }

    private static Task UnknownSessionAsync(HttpContext context)
    {
        TransportMetrics.Record(FallbackRefusal.UnknownSession);
        return RefuseAsync(context, StatusCodes.Status404NotFound,
            "No such session: it has ended or never existed. Open a new session (with the recovery key to resume).");
    }

    private static Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(reason + "\n");
    }
}
