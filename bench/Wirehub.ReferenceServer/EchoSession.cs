using System.Buffers;
using System.Net.WebSockets;

namespace Wirehub.ReferenceServer;

/// <summary>Sends each message back to its sender, the common System.Net.WebSockets receive loop.</summary>
internal static class EchoSession
{
    private const int InitialBufferSize = 4096;

    public static async Task RunAsync(WebSocket socket, CancellationToken cancellation)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            int count = 0;
            while (true)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellation);
                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    // Messages spread over several frames (or longer than the buffer) are assembled before echoing.
                    if (count == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    continue;
                }

                await socket.SendAsync(buffer.AsMemory(0, count), result.MessageType, endOfMessage: true, cancellation);
                count = 0;
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client went away without a closing handshake; nothing is left to do for this connection.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
