namespace Wirehub.WebSockets.Tests.Support;

/// <summary>The simplest server handler: sends every message back as it came.</summary>
internal static class EchoHandler
{
    public static async Task RunAsync(WebSocketConnection connection)
    {
        await foreach (var message in connection.ReadAllAsync())
        {
            // The payload is valid until the next receive, and the send is awaited before it.
            await connection.SendAsync(message.Data, message.Type);
        }
    }
}
