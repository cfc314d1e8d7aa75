using System.Buffers;
using System.Net.WebSockets;

namespace Wirehub.Conformance.Tests.SystemsUnderTest;

/// <summary>The echo behaviour of the System.Net.WebSockets reference peers, server and client alike.</summary>
internal static class WebSocketEchoLoop
{
    private static readonly TimeSpan LingerAfterFailure = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Sends every message back with its type; answers a Close with the same status (RFC 6455 §5.5.1). When
    /// System.Net.WebSockets fails the connection it sends its Close frame and aborts; returning at once would close
    /// the TCP connection with bytes still unread, which makes the kernel send a reset that can destroy that Close
    /// frame before the peer reads it. Lingering a moment lets the Close frame arrive, as an endpoint that waits
    /// for the closing handshake would (RFC 6455 §7.1.1).
    /// </summary>
    public static async Task RunAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    var status = socket.CloseStatus ?? WebSocketCloseStatus.Empty;
                    await socket.CloseOutputAsync(status, status == WebSocketCloseStatus.Empty ? null : socket.CloseStatusDescription, cancellationToken);
                    return;
                }
                message.Write(buffer.AsSpan(0, received.Count));
                if (!received.EndOfMessage) continue;
                await socket.SendAsync(message.WrittenMemory, received.MessageType, endOfMessage: true, cancellationToken);
                message.ResetWrittenCount();
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            // The peer broke the protocol or went away; System.Net.WebSockets has already sent its Close frame.
            await Task.Delay(LingerAfterFailure, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
