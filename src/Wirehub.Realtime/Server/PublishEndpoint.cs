using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Channels;
using Wirehub.Realtime.Protocol;

namespace Wirehub.Realtime.Server;

/// <summary><c>POST /api/publish</c> (PROTOCOL.md, "Server-side publish").</summary>
internal static class PublishEndpoint
{
    public static async Task HandleAsync(HttpContext context, RealtimeOptions options, IRealtimePublisher publisher)
    {
        if (!IsAuthorized(context.Request.Headers.Authorization.ToString(), options.ApiKey))
        {
            await WriteErrorAsync(context, 401, "Send the API key: Authorization: apikey KEY.").ConfigureAwait(false);
            return;
        }
        int limit = options.MaxMessageSize + 16 * 1024;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (buffer.Length > limit)
            {
                await WriteErrorAsync(context, 413, $"The body is larger than {limit} bytes.").ConfigureAwait(false);
                return;
            }
            body = buffer.ToArray();
        }
        string? channel = null, messageId = null;
        byte[]? data = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new JsonException();
            if (root.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String) channel = c.GetString();
            if (root.TryGetProperty("data", out var d)) data = Encoding.UTF8.GetBytes(d.GetRawText());
            if (root.TryGetProperty("messageId", out var m))
                messageId = m.ValueKind == JsonValueKind.String ? m.GetString() : throw new JsonException();
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, 400, "The body must be a JSON object: {\"channel\": \"...\", \"data\": ..., \"messageId\": \"...\"}.").ConfigureAwait(false);
            return;
        }
        if (channel is null || !ChannelName.IsValid(channel) || data is null || messageId is { Length: 0 or > 64 })
        {
            await WriteErrorAsync(context, 400, "Give a valid \"channel\", a \"data\" value and, optionally, a \"messageId\" of 1-64 characters.").ConfigureAwait(false);
            return;
        }
        if (data.Length > options.MaxMessageSize)
        {
            await WriteErrorAsync(context, 413, $"\"data\" is larger than {options.MaxMessageSize} bytes.").ConfigureAwait(false);
            return;
        }
        StreamPosition position;
        try
        {
            position = await publisher.PublishAsync(channel, data, messageId, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BrokerUnavailableException)
        {
            await WriteErrorAsync(context, 503, "The broker is unavailable; nothing was published. Retry later.").ConfigureAwait(false);
            return;
        }
        using var frame = ServerFrameWriter.PublishResponse(position);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(frame.Memory, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool IsAuthorized(string header, string? apiKey)
    {
        const string scheme = "apikey ";
        if (apiKey is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(apiKey));
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        if (status == 503) context.Response.Headers.RetryAfter = "1";
        return context.Response.WriteAsJsonAsync(new ErrorBody(status, message, status == 503));
    }

    private sealed record ErrorBody(int code, string message, bool retriable);
}
