using System.Net.WebSockets;
using System.Threading.Channels;

namespace Wirehub.ReferenceServer;

/// <summary>
/// One connected client of the broadcast: a WebSocket allows a single pending send, so messages for it wait in an
/// unbounded queue drained by its own send loop.
/// </summary>
internal sealed class BroadcastClient(WebSocket socket)
{
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions { SingleReader = true });

    public WebSocket Socket { get; } = socket;

    /// <summary>Queues a message; the bytes are shared by every client, never copied per client.</summary>
    public void Enqueue(ReadOnlyMemory<byte> message) => _queue.Writer.TryWrite(message);

    /// <summary>Lets the send loop finish once the queue is empty.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task SendLoopAsync(CancellationToken cancellation)
    {
        ChannelReader<ReadOnlyMemory<byte>> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellation))
            {
                while (reader.TryRead(out ReadOnlyMemory<byte> message))
                {
                    await Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellation);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The connection is gone; the receive loop removes the client.
        }
    }
}
