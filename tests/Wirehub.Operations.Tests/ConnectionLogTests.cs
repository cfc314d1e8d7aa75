using System.Text.Json;
using Wirehub.Operations.Tests.Support;
using Wirehub.WebSockets;

namespace Wirehub.Operations.Tests;

/// <summary>
/// The JSON logs of <c>wirehub serve</c> (with Wirehub events at Debug) carry the connection id on each connection's
/// open and close, so one connection's events can be followed; a realtime session's events carry the id its client knows.
/// </summary>
public sealed class ConnectionLogTests
{
    private static readonly Dictionary<string, string> DebugLogs = new() { ["Logging__LogLevel__Wirehub"] = "Debug" };

    private static string? Field(JsonElement logEvent, string name) =>
        logEvent.TryGetProperty("State", out var state) && state.TryGetProperty(name, out var value) ? value.ToString() : null;

    [Fact]
    public async Task Open_and_close_of_a_connection_are_logged_with_its_connection_id()
    {
        await using var server = await WirehubProcess.StartAsync(environment: DebugLogs);
        await using (var client = new WebSocketClient(server.WebSocketUri("/echo")))
        {
            await client.ConnectAsync();
            await client.CloseAsync(4321, "log marker");
        }
        var closed = await Eventually.Until(() => Task.FromResult(server.LogEvents().FirstOrDefault(e => Field(e, "CloseStatus") == "4321")),
            e => e.ValueKind == JsonValueKind.Object, "the close is logged");
        string? connectionId = Field(closed, "ConnectionId");
        Assert.False(string.IsNullOrEmpty(connectionId), "The close event has no ConnectionId.");
        Assert.Equal("log marker", Field(closed, "CloseReason"));
        var opened = server.LogEvents().Where(e => Field(e, "ConnectionId") == connectionId && Field(e, "Path") == "/echo").ToList();
        Assert.Single(opened);
        Assert.Equal("Wirehub.WebSockets", opened[0].GetProperty("Category").GetString());
    }

    [Fact]
    public async Task Realtime_session_is_logged_with_the_connection_id_its_client_received()
    {
        await using var server = await WirehubProcess.StartAsync(environment: DebugLogs);
        string sessionId;
        await using (var client = await RealtimeClient.ConnectAsync(server.WebSocketUri("/connection")))
        {
            sessionId = client.ConnectionId;
            await client.CloseAsync();
        }
        var ended = await Eventually.Until(() => Task.FromResult(server.LogEvents()
                .Where(e => Field(e, "SessionId") == sessionId).Select(e => e.GetProperty("EventId").GetInt32()).ToList()),
            ids => ids.Count >= 2, "the session's connect and end are logged");
        Assert.Contains(101, ended);
        Assert.Contains(102, ended);
        // The session's events sit in the request's scope, whose ConnectionId is the one of the engine's events.
        var connected = server.LogEvents().Single(e => Field(e, "SessionId") == sessionId && e.GetProperty("EventId").GetInt32() == 101);
        var scopeIds = connected.GetProperty("Scopes").EnumerateArray()
            .Where(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("ConnectionId", out _))
            .Select(scope => scope.GetProperty("ConnectionId").GetString()).ToList();
        Assert.NotEmpty(scopeIds);
        Assert.Contains(server.LogEvents(), e => Field(e, "Path") == "/connection" && scopeIds.Contains(Field(e, "ConnectionId")));
    }
}
