namespace Wirehub.WebSockets.Tests.Support;

/// <summary>An HTTP/1.1 response exactly as it came over the socket.</summary>
internal sealed record RawHttpResponse(string Version, int StatusCode, string ReasonPhrase, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
