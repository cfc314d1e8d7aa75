using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Wirehub.Realtime.Server;

/// <summary>Serves the JavaScript SDK (clients/js/wirehub.js, embedded in this assembly) to browsers.</summary>
public static class ScriptEndpointRouteBuilderExtensions
{
    private const string ResourceName = "Wirehub.Realtime.wirehub.js";

    private static readonly Lazy<(byte[] Body, string ETag)> s_script = new(Load);

    /// <summary>
    /// Serves the JavaScript SDK, an ES module, at <paramref name="pattern"/> for GET and HEAD:
    /// <c>import { Wirehub } from '/wirehub.js'</c>. Sent as <c>text/javascript</c> with an <c>ETag</c> and
    /// <c>Cache-Control: no-cache</c>, so browsers keep a copy and revalidate it with a cheap 304 until the server is
    /// upgraded.
    /// </summary>
    public static IEndpointConventionBuilder MapWirehubScript(this IEndpointRouteBuilder endpoints, string pattern = "/wirehub.js")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var (body, etag) = s_script.Value;
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], context =>
        {
            var response = context.Response;
            response.Headers.ETag = etag;
            // Revalidate on every use: the URL is not versioned, and a stale SDK against a newer server is worse
            // than a 304 round trip.
            response.Headers.CacheControl = "no-cache";
            response.Headers.XContentTypeOptions = "nosniff";
            if (Matches(context.Request.Headers.IfNoneMatch, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            response.ContentType = "text/javascript; charset=utf-8";
            response.ContentLength = body.Length;
            return HttpMethods.IsHead(context.Request.Method)
                ? Task.CompletedTask
                : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0) return false;
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)) return false;
        var ours = EntityTagHeaderValue.Parse(etag);
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ours, useStrongComparison: false)) return true;
        }
        return false;
    }

    private static (byte[] Body, string ETag) Load()
    {
        using var stream = typeof(ScriptEndpointRouteBuilderExtensions).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build of Wirehub.Realtime.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] body = buffer.ToArray();
        string hash = Convert.ToBase64String(SHA256.HashData(body).AsSpan(0, 12)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (body, $"\"{hash}\"");
    }
}
