using Wirehub.Realtime.Server;
using Wirehub.Realtime.Tests.Server.Support;

namespace Wirehub.Realtime.Tests.Server;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private RealtimeServer _server = null!;

    public async Task InitializeAsync() => _server = await RealtimeServer.StartAsync(o => o.TokenSigningKey = TestTokens.Key);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Connect(string token) => $"{{\"type\":\"connect\",\"id\":1,\"token\":\"{token}\"}}";

    [Fact]
    public async Task Valid_token_connects_as_its_subject_with_expires_in()
    {
        var (client, connected) = await _server.ConnectAsync(Connect(TestTokens.Create("user-42", TimeSpan.FromHours(1))));
        await using var owned = client;
        Assert.Equal("user-42", connected.GetProperty("clientId").GetString());
        Assert.InRange(connected.GetProperty("expiresIn").GetInt64(), 3500, 3600);
    }

    [Fact]
    public async Task Connect_without_token_closes_with_4001()
    {
        await using var client = await _server.OpenAsync();
        await client.SendAsync("{\"type\":\"connect\",\"id\":1}");
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task Token_signed_with_another_key_closes_with_4001()
    {
        await using var client = await _server.OpenAsync();
        await client.SendAsync(Connect(TestTokens.Create("u", TimeSpan.FromHours(1), key: new byte[32])));
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task Expired_token_closes_with_4001()
    {
        await using var client = await _server.OpenAsync();
        await client.SendAsync(Connect(TestTokens.Create("u", TimeSpan.FromMinutes(-1))));
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }

    [Fact]
    public async Task Capabilities_of_the_token_decide_per_channel_with_403_otherwise()
    {
        string token = TestTokens.Create("u", TimeSpan.FromHours(1),
            "{\"room:*\":[\"subscribe\",\"publish\",\"presence\",\"history\"],\"news:*\":[\"subscribe\"]}");
        var (client, _) = await _server.ConnectAsync(Connect(token));
        await using var owned = client;
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"news:today\"}", "subscribed");
        Assert.Equal(403, (await client.RequestAsync("{\"type\":\"publish\",\"id\":3,\"channel\":\"news:today\",\"data\":1}", "error")).GetProperty("code").GetInt32());
        Assert.Equal(403, (await client.RequestAsync("{\"type\":\"history\",\"id\":4,\"channel\":\"news:today\"}", "error")).GetProperty("code").GetInt32());
        Assert.Equal(403, (await client.RequestAsync("{\"type\":\"subscribe\",\"id\":5,\"channel\":\"chat:x\"}", "error")).GetProperty("code").GetInt32());
        await client.RequestAsync("{\"type\":\"history\",\"id\":6,\"channel\":\"room:lobby\"}", "history");
    }

    [Fact]
    public async Task Refresh_with_a_valid_token_is_answered_with_refreshed()
    {
        var (client, _) = await _server.ConnectAsync(Connect(TestTokens.Create("u", TimeSpan.FromHours(1))));
        await using var owned = client;
        var refreshed = await client.RequestAsync($"{{\"type\":\"refresh\",\"id\":7,\"token\":\"{TestTokens.Create("u", TimeSpan.FromHours(2))}\"}}", "refreshed");
        Assert.Equal(7, refreshed.GetProperty("id").GetInt64());
        Assert.InRange(refreshed.GetProperty("expiresIn").GetInt64(), 7100, 7200);
    }

    [Fact]
    public async Task Refresh_with_an_invalid_token_fails_with_401_and_the_connection_survives()
    {
        var (client, _) = await _server.ConnectAsync(Connect(TestTokens.Create("u", TimeSpan.FromHours(1))));
        await using var owned = client;
        var error = await client.RequestAsync($"{{\"type\":\"refresh\",\"id\":7,\"token\":\"{TestTokens.Create("someone-else", TimeSpan.FromHours(2))}\"}}", "error");
        Assert.Equal(401, error.GetProperty("code").GetInt32());
        await client.RequestAsync("{\"type\":\"ping\"}", "pong");
    }

    [Fact]
    public async Task Token_near_expiry_gets_refresh_required_then_the_connection_closes_with_4002()
    {
        var (client, _) = await _server.ConnectAsync(Connect(TestTokens.Create("u", TimeSpan.FromSeconds(2))));
        await using var owned = client;
        var notice = await client.ExpectAsync("refresh_required");
        Assert.InRange(notice.GetProperty("expiresIn").GetInt64(), 0, 30);
        Assert.Equal((ushort)4002, await client.ExpectCloseAsync());
    }

    [Theory]
    [InlineData("room:*", "room:lobby", true)]
    [InlineData("room:*", "room:a:b", false)]
    [InlineData("room:*", "chat:lobby", false)]
    [InlineData("*", "a:b:c", true)]
    [InlineData("*:lobby", "room:lobby", true)]
    [InlineData("room:l*y", "room:lobby", true)]
    [InlineData("room:lobby", "room:lobby", true)]
    [InlineData("room:lobby", "room:lobby2", false)]
    public void Star_matches_any_run_of_characters_except_colon(string pattern, string channel, bool matches)
    {
        Assert.Equal(matches, ChannelGrants.Matches(pattern, channel));
    }
}
