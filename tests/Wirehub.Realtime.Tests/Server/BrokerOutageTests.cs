using System.Net;
using System.Net.Http;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class BrokerOutageTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RealtimeServer.StartAsync(services: s => s.AddSingleton<IBroker, UnavailableBroker>());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Publish_while_the_broker_is_unavailable_gets_retriable_error_503()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var error = await client.RequestAsync("{\"type\":\"publish\",\"id\":6,\"channel\":\"room:a\",\"data\":1}", "error");
        Assert.Equal(503, error.GetProperty("code").GetInt32());
        Assert.True(error.GetProperty("retriable").GetBoolean());
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Server_publish_while_the_broker_is_unavailable_answers_503_with_retry_after()
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, _server.HttpUri("/api/publish"))
        {
            Content = new StringContent("{\"channel\": \"room:a\", \"data\": 1}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "apikey " + RealtimeServer.ApiKey);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
