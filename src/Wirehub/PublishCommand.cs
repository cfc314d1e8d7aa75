using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wirehub.Realtime.Channels;

namespace Wirehub.Cli;

/// <summary>
/// <c>wirehub publish CHANNEL DATA</c>: publishes through the server's <c>POST /api/publish</c> and prints the serial
/// the message got.
/// </summary>
internal static class PublishCommand
{
    /// <summary>The server's base URL when neither --url nor this variable is given: http://localhost:8080.</summary>
    public const string UrlVariable = "WIREHUB_URL";

    public const string ApiKeyVariable = "WIREHUB_API_KEY";

    public static Command Create()
    {
        var channel = new Argument<string>("channel") { Description = "The channel, e.g. room:lobby." };
        var data = new Argument<string>("data")
        {
            Description = "The message: a JSON value ({\"text\":\"hi\"}, 42, \"quoted\"), or any other text, which is sent as a JSON string.",
        };
        var url = new Option<string?>("--url") { Description = $"The server's base URL. Default: ${UrlVariable}, else http://localhost:8080.", HelpName = "URL" };
        var apiKey = new Option<string?>("--api-key") { Description = $"The server's publish key. Default: ${ApiKeyVariable}.", HelpName = "KEY" };
        var messageId = new Option<string?>("--message-id") { Description = "An id (1-64 characters) making the publish idempotent: a retry with the same id is published once.", HelpName = "ID" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Accept any TLS certificate (self-signed test servers only)." };
        var command = new Command("publish",
            "Publish a message to a channel through the server's POST /api/publish; prints the message's serial on success.")
        {
            channel, data, url, apiKey, messageId, insecure,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(channel)!, parse.GetValue(data)!,
            parse.GetValue(url) ?? Environment.GetEnvironmentVariable(UrlVariable) ?? "http://localhost:8080",
            parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable), parse.GetValue(messageId),
            parse.GetValue(insecure), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string channel, string data, string url, string? apiKey, string? messageId,
        bool insecure, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!ChannelName.IsValid(channel))
            errors.Add($"'{channel}' is not a channel name: use 1-255 characters from A-Z a-z 0-9 _ - : . @ / = ,");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            errors.Add($"--url '{url}' is not an http:// or https:// URL: give the server's base URL, e.g. http://localhost:8080.");
        if (string.IsNullOrEmpty(apiKey))
            errors.Add($"no API key: pass --api-key KEY or set {ApiKeyVariable} (wirehub serve prints its key at start when none is configured).");
        if (messageId is { Length: 0 or > 64 })
            errors.Add("--message-id must be 1 to 64 characters.");
        if (errors.Count > 0)
        {
            foreach (var error in errors) Console.Error.WriteLine($"wirehub publish: {error}");
            Console.Error.WriteLine("Run 'wirehub publish --help' for usage.");
            return ExitCode.Usage;
        }

        var endpoint = baseUrl!.AbsolutePath.TrimEnd('/').EndsWith("/api/publish", StringComparison.Ordinal)
            ? baseUrl : new Uri(baseUrl, baseUrl.AbsolutePath.TrimEnd('/') + "/api/publish");
        using var handler = new SocketsHttpHandler();
        if (insecure) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(Body(channel, data, messageId)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"apikey {apiKey}");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"wirehub publish: could not reach {endpoint}: {ex.Message} Is wirehub serve running there? (--url, {UrlVariable})");
            return ExitCode.Failure;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"wirehub publish: {endpoint} did not answer within 30 s.");
            return ExitCode.Failure;
        }
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK && Serial(body) is { } serial)
            {
                Console.WriteLine(serial);
                return ExitCode.Ok;
            }
            string advice = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => $" Check the key: --api-key or {ApiKeyVariable} must be the server's publish key.",
                HttpStatusCode.NotFound => $" Is {baseUrl} a Wirehub server? (--url, {UrlVariable})",
                HttpStatusCode.ServiceUnavailable => " The server's broker is unavailable; retry later.",
                _ => "",
            };
            Console.Error.WriteLine($"wirehub publish: the server refused the publish: {(int)response.StatusCode} {response.ReasonPhrase}: {Message(body)}{advice}");
            return ExitCode.Failure;
        }
    }

    /// <summary>The request body; <paramref name="data"/> goes in as the JSON value it is, or as a string when it is not JSON.</summary>
    private static byte[] Body(string channel, string data, string? messageId)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("channel", channel);
            json.WritePropertyName("data");
            if (IsJson(data)) json.WriteRawValue(data);
            else json.WriteStringValue(data);
            if (messageId is not null) json.WriteString("messageId", messageId);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static long? Serial(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("serial", out var serial) && serial.TryGetInt64(out long value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Message(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message))
                return message.GetString() ?? "";
        }
        catch (JsonException)
        {
            // Not the server's JSON error: show the start of whatever came back.
        }
        return body.Length > 200 ? body[..200] + "..." : body;
    }
}
