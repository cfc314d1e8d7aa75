using System.Net;
using System.Net.Http.Headers;

namespace Wirehub.Browser.Tests;

/// <summary><c>GET /wirehub.js</c> of <c>wirehub serve</c> (MapWirehubScript): the SDK as an ES module with revalidation.</summary>
public sealed class ScriptEndpointTests : IAsyncLifetime
{
    private WirehubServerProcess _server = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _server = await WirehubServerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_sdk_is_served_as_javascript_with_an_etag_and_no_cache()
    {
        using var response = await _http.GetAsync($"{_server.BaseUrl}/wirehub.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Contains("nosniff", response.Headers.GetValues("X-Content-Type-Options"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("export class Wirehub", body);
    }

    [Fact]
    public async Task A_request_with_the_current_etag_is_answered_304_without_a_body()
    {
        using var first = await _http.GetAsync($"{_server.BaseUrl}/wirehub.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, $"{_server.BaseUrl}/wirehub.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var response = await _http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_request_with_another_etag_gets_the_script()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_server.BaseUrl}/wirehub.js");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HEAD_answers_the_headers_without_the_body()
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{_server.BaseUrl}/wirehub.js"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 1000);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
