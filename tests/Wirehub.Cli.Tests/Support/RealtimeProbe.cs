using System.Text.Json;
using Wirehub.WebSockets;

namespace Wirehub.Cli.Tests.Support;

/// <summary>A minimal wirehub.v1 client for reading what a running server announces in its <c>connected</c> reply.</summary>
internal static class RealtimeProbe
{
    /// <summary>Opens /connection, sends connect, and returns the reply's <c>limits</c>.</summary>
    public static async Task<JsonElement> LimitsAsync(ServeProcess server)
    {
        var options = new WebSocketClientOptions();
        options.Subprotocols.Add("wirehub.v1");
        await using var client = new WebSocketClient(new Uri(server.WebSocketUrl("/connection")), options);
        using var timeout = new CancellationTokenSource(CliTimeouts.Output);
        await client.ConnectAsync(timeout.Token);
        await client.SendAsync("""{"type":"connect","id":1}""", timeout.Token);
        var reply = await client.ReceiveAsync(timeout.Token);
        using var document = JsonDocument.Parse(reply.GetString());
        await client.CloseAsync(cancellationToken: timeout.Token);
        return document.RootElement.GetProperty("limits").Clone();
    }
}
