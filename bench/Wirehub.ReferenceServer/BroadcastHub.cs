using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Wirehub.ReferenceServer;

/// <summary>Sends every text message any client sends to every connected client, the sender included.</summary>
internal sealed class BroadcastHub
{
    private const int InitialBufferSize = 4096;

    private readonly ConcurrentDictionary<BroadcastClient, byte> _clients = new();

    public async Task RunAsync(WebSocket socket, CancellationToken cancellation)
    {
        BroadcastClient client = new(socket);
        _clients.TryAdd(client, 0);
        Task sending = client.SendLoopAsync(cancellation);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            int count = 0;
            while (true)
            {
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    if (count == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    // One copy per message, shared by every client's queue.
                    ReadOnlyMemory<byte> message = buffer.AsSpan(0, count).ToArray();
                    // Enumerating the dictionary itself takes no lock and no snapshot (unlike .Keys).
                    foreach (KeyValuePair<BroadcastClient, byte> receiver in _clients)
                    {
                        receiver.Key.Enqueue(message);
                    }
                }

                count = 0;
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client went away without a closing handshake.
        }
        finally
        {
            _clients.TryRemove(client, out _);
            client.Complete();
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await sending;
        if (socket.State == WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellation);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The client did not wait for our close frame.
            }
        }
    }
}
