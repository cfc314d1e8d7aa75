using System.Runtime.CompilerServices;
using Wirehub.Protocol;
using Wirehub.Realtime.Diagnostics;
using Wirehub.Realtime.Protocol;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// A session over one WebSocket connection of the engine. Shared frames go to the engine by reference (framed once for
/// every subscriber); its send queue bound and <see cref="SendQueueFullPolicy.Close"/> handle slow consumers.
/// </summary>
internal sealed class WebSocketTransport(WebSocketConnection connection) : IRealtimeTransport
{
    public WebSocketConnection Connection { get; } = connection;

    public bool IsEmulated => false;

    /// <summary>The encoding the handshake agreed on: <c>wirehub.v1.msgpack</c> frames go in binary messages.</summary>
    public FrameEncoding Encoding { get; } = MessagePackProtocol.EncodingOf(connection.SubProtocol);

    /// <summary>
    /// Serves one <c>wirehub.v1</c> session over <paramref name="connection"/> until it closes, counted by the transport
    /// metrics with the code the connection closed with.
    /// </summary>
    public static async Task RunSessionAsync(RealtimeHub hub, WebSocketConnection connection, CancellationToken aborted)
    {
        TransportMetrics.SessionOpened(TransportType.WebSocket);
        // A session that throws leaves the engine to close the connection with 1011.
        ushort code = CloseStatus.InternalError;
        try
        {
            await new RealtimeSession(hub, new WebSocketTransport(connection)).RunAsync(aborted).ConfigureAwait(false);
            code = connection.CloseStatus ?? CloseStatus.AbnormalClosure;
        }
        finally
        {
            TransportMetrics.SessionClosed(TransportType.WebSocket, code);
        }
    }

    public ValueTask<TransportMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        ValueTask<WebSocketMessage> receiving;
        try
        {
            receiving = Connection.ReceiveAsync(cancellationToken);
        }
        catch (Exception ex) when (IsConnectionGone(ex))
        {
            return new(TransportMessage.Closed(byClient: false));
        }
        return receiving.IsCompletedSuccessfully ? new(From(receiving.Result)) : AwaitReceiveAsync(receiving);
    }

    // Pooled: a receive that waits for the network does not allocate a state machine per message.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TransportMessage> AwaitReceiveAsync(ValueTask<WebSocketMessage> receiving)
    {
        try
        {
            return From(await receiving.ConfigureAwait(false));
        }
        catch (Exception ex) when (IsConnectionGone(ex))
        {
            return TransportMessage.Closed(byClient: false);
        }
    }

    private TransportMessage From(WebSocketMessage message) => message.Type == MessageType.Close
        ? TransportMessage.Closed(byClient: Connection.CloseStatus == CloseStatus.NormalClosure)
        : new TransportMessage(message.Type, message.Data);

    private static bool IsConnectionGone(Exception ex) =>
        ex is WebSocketClosedException or WebSocketProtocolException or IOException or OperationCanceledException;

    public long QueuedBytes => Connection.BufferedAmount;

    public void Send(PreparedMessage message) => SendShared(Connection, message);

    /// <summary>Queues a shared frame on <paramref name="connection"/>; a closed or slow connection is already handled by the engine.</summary>
    public static void SendShared(WebSocketConnection connection, PreparedMessage message)
    {
        try
        {
            var sending = connection.SendAsync(message);
            if (!sending.IsCompletedSuccessfully) _ = ObserveAsync(sending);
        }
        catch (WebSocketSendQueueFullException)
        {
            // SendQueueFullPolicy.Close: the engine dropped the backlog and is closing with 1008.
        }
        catch (WebSocketClosedException)
        {
        }
    }

    private static async Task ObserveAsync(ValueTask sending)
    {
        try { await sending.ConfigureAwait(false); }
        catch (Exception ex) when (ex is WebSocketClosedException or WebSocketSendQueueFullException or IOException or OperationCanceledException) { }
    }

    public async ValueTask SendAsync(PooledFrame frame)
    {
        using (frame)
        {
            try
            {
                var type = Encoding == FrameEncoding.MessagePack ? MessageType.Binary : MessageType.Text;
                await Connection.SendAsync(frame.Memory, type).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketClosedException or WebSocketSendQueueFullException) { }
        }
    }

    public ValueTask CloseAsync(ushort code, string reason) => new(Connection.CloseAsync(code, reason));

    public void CloseOutput(ushort code, string reason)
    {
        try { _ = Connection.CloseOutputAsync(code, reason); }
        catch (Exception ex) when (ex is WebSocketClosedException or IOException) { }
    }
}
