using System.Net.WebSockets;

namespace Wirehub.Conformance.Tests.SystemsUnderTest;

/// <summary>
/// The client side of the harness check: System.Net.WebSockets.ClientWebSocket (with permessage-deflate), which
/// connects to a case URL and echoes every message until the server closes. Independent of Wirehub.
/// </summary>
internal static class ClientWebSocketEcho
{
    public static async Task RunCaseAsync(Uri caseUrl, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await socket.ConnectAsync(caseUrl, cancellationToken);
        await WebSocketEchoLoop.RunAsync(socket, cancellationToken);
    }
}
