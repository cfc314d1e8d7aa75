using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class MalformedRequestTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync(o =>
    {
        o.PublishRate = 3;
        o.MaxSubscriptions = 1;
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("not json", null)]
    [InlineData("[1,2,3]", null)]
    [InlineData("{\"id\":4,\"channel\":\"room:a\"}", 4L)]
    [InlineData("{\"type\":42,\"id\":4}", 4L)]
    [InlineData("{\"type\":\"dance\",\"id\":4}", 4L)]
    [InlineData("{\"type\":\"subscribe\",\"channel\":\"room:a\"}", null)]
    [InlineData("{\"type\":\"subscribe\",\"id\":0,\"channel\":\"room:a\"}", null)]
    [InlineData("{\"type\":\"subscribe\",\"id\":-3,\"channel\":\"room:a\"}", null)]
    [InlineData("{\"type\":\"subscribe\",\"id\":1.5,\"channel\":\"room:a\"}", null)]
    [InlineData("{\"type\":\"subscribe\",\"id\":4}", 4L)]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room lobby\"}", 4L)]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"\"}", 4L)]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":[\"room:a\"]}", 4L)]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room:a\",\"since\":42}", 4L)]
    [InlineData("{\"type\":\"subscribe\",\"id\":4,\"channel\":\"room:a\",\"rewind\":0}", 4L)]
    [InlineData("{\"type\":\"publish\",\"id\":4,\"channel\":\"room:a\"}", 4L)]
    [InlineData("{\"type\":\"publish\",\"id\":4,\"channel\":\"room:a\",\"data\":1,\"messageId\":7}", 4L)]
    [InlineData("{\"type\":\"history\",\"id\":4,\"channel\":\"room:a\",\"limit\":1001}", 4L)]
    [InlineData("{\"type\":\"history\",\"id\":4,\"channel\":\"room:a\",\"direction\":\"sideways\"}", 4L)]
    public async Task Malformed_request_gets_error_400_and_the_connection_survives(string request, long? id)
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var error = await client.RequestAsync(request, "error");
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.False(error.GetProperty("retriable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        if (id is { } expected) Assert.Equal(expected, error.GetProperty("id").GetInt64());
        else Assert.False(error.TryGetProperty("id", out _));
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Binary_frame_gets_error_400_and_the_connection_survives()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        client.Socket.Send(new byte[] { 1, 2, 3 });
        Assert.Equal(400, (await client.ExpectAsync("error")).GetProperty("code").GetInt32());
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Data_larger_than_max_message_size_gets_error_413()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        var error = await client.RequestAsync(
            "{\"type\":\"publish\",\"id\":6,\"channel\":\"room:a\",\"data\":\"" + new string('x', 70_000) + "\"}", "error");
        Assert.Equal(413, error.GetProperty("code").GetInt32());
        Assert.Equal(6, error.GetProperty("id").GetInt64());
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Publishing_faster_than_the_rate_gets_retriable_error_429()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        for (int i = 1; i <= 3; i++) await client.SendAsync($"{{\"type\":\"publish\",\"id\":{i},\"channel\":\"room:a\",\"data\":1}}");
        for (int i = 1; i <= 3; i++) await client.ExpectAsync("ack");
        var error = await client.RequestAsync("{\"type\":\"publish\",\"id\":4,\"channel\":\"room:a\",\"data\":1}", "error");
        Assert.Equal(429, error.GetProperty("code").GetInt32());
        Assert.True(error.GetProperty("retriable").GetBoolean());
    }

    [Fact]
    public async Task Subscribing_beyond_max_subscriptions_gets_error_403()
    {
        var (client, _) = await _server.ConnectAsync();
        await using var owned = client;
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:a\"}", "subscribed");
        var error = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":3,\"channel\":\"room:b\"}", "error");
        Assert.Equal(403, error.GetProperty("code").GetInt32());
    }
}
