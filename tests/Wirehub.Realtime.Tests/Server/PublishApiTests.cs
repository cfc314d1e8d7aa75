using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class PublishApiTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? key = RealtimeServer.ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _server.HttpUri("/api/publish"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.TryAddWithoutValidation("Authorization", "apikey " + key);
        return _http.SendAsync(request);
    }

    [Fact]
    public async Task Publish_answers_200_with_the_position_and_subscribers_get_a_message_without_publisher()
    {
        var (subscriber, _) = await _server.ConnectAsync();
        await using var s = subscriber;
        await subscriber.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:lobby\"}", "subscribed");
        var response = await PostAsync("{\"channel\": \"room:lobby\", \"data\": {\"text\": \"hi\"}, \"messageId\": \"srv-1\"}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, body.RootElement.GetProperty("serial").GetInt64());
        var message = await subscriber.ExpectAsync("message");
        Assert.Equal(body.RootElement.GetProperty("epoch").GetString(), message.GetProperty("epoch").GetString());
        Assert.Equal("srv-1", message.GetProperty("id").GetString());
        Assert.False(message.TryGetProperty("publisher", out _));
        Assert.Equal("hi", message.GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Retried_publish_with_the_same_message_id_answers_the_original_serial()
    {
        var first = await PostAsync("{\"channel\": \"room:i\", \"data\": 1, \"messageId\": \"srv-1\"}");
        var retry = await PostAsync("{\"channel\": \"room:i\", \"data\": 1, \"messageId\": \"srv-1\"}");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Publish_without_a_valid_key_answers_401(string? key)
    {
        var response = await PostAsync("{\"channel\": \"room:a\", \"data\": 1}", key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"data\": 1}")]
    [InlineData("{\"channel\": \"bad name\", \"data\": 1}")]
    [InlineData("{\"channel\": \"room:a\"}")]
    public async Task Publish_with_a_malformed_body_answers_400(string body)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
