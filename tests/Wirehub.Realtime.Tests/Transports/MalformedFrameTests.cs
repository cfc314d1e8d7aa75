using Wirehub.Realtime.Tests.Transports.Support;

namespace Wirehub.Realtime.Tests.Transports;

/// <summary>Malformed frames get the errors PROTOCOL.md lists, whatever the transport, and the connection stays open.</summary>
public sealed class MalformedFrameTests : IAsyncLifetime
{
    private FallbackServer _server = null!;

    public async Task InitializeAsync() => _server = await FallbackServer.StartAsync(o => o.MaxMessageSize = 64);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly (string Frame, int Code, int? Id)[] Cases =
    [
        ("not json", 400, null),
        ("[1,2]", 400, null),
        ("{\"type\":\"teleport\",\"id\":5}", 400, 5),
        ("{\"type\":\"subscribe\",\"id\":6}", 400, 6),
        ("{\"type\":\"subscribe\",\"id\":7,\"channel\":\"bad name!\"}", 400, 7),
        ("{\"type\":\"publish\",\"id\":8,\"channel\":\"room:a\",\"data\":\"" + new string('x', 100) + "\"}", 413, 8),
        ("{\"type\":\"unsubscribe\",\"id\":9,\"channel\":\"room:none\"}", 404, 9),
    ];

    private static async Task<List<(int Code, int? Id)>> ErrorsAsync(FrameClient client)
    {
        var errors = new List<(int, int?)>();
        foreach (var _ in Cases)
        {
            var error = await client.ExpectAsync("error");
            errors.Add((error.GetProperty("code").GetInt32(), error.TryGetProperty("id", out var id) ? id.GetInt32() : null));
        }
        return errors;
    }

    [Theory]
    [InlineData(TransportKind.WebSocket)]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Each_malformed_frame_gets_its_documented_error(TransportKind kind)
    {
        var (client, _) = await _server.ConnectAsync(kind);
        await using var _c = client;
        await client.SendAsync(Cases.Select(c => c.Frame).ToArray());
        Assert.Equal(Cases.Select(c => (c.Code, c.Id)), await ErrorsAsync(client));
        await client.RequestAsync("{\"type\":\"subscribe\",\"id\":10,\"channel\":\"room:a\"}", "subscribed");
    }

    [Theory]
    [InlineData(TransportKind.WebSocket)]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Request_before_connect_gets_401_and_the_connection_stays_open(TransportKind kind)
    {
        await using var client = await _server.OpenAsync(kind);
        var error = await client.RequestAsync("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"room:a\"}", "error");
        Assert.Equal(401, error.GetProperty("code").GetInt32());
        await client.RequestAsync("{\"type\":\"connect\",\"id\":3}", "connected");
    }

    [Theory]
    [InlineData(TransportKind.WebSocket)]
    [InlineData(TransportKind.Sse)]
    [InlineData(TransportKind.Poll)]
    public async Task Malformed_connect_closes_with_4001(TransportKind kind)
    {
        await using var client = await _server.OpenAsync(kind);
        await client.SendAsync("{\"type\":\"connect\",\"id\":\"one\"}");
        Assert.Equal((ushort)4001, await client.ExpectCloseAsync());
    }
}
