using Wirehub.Realtime.Broker;
using Wirehub.Realtime.Server.Transports;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server;

/// <summary>
/// One connection's subscription to one channel. It starts buffering live messages, so a replay from history can be sent
/// first; going live flushes the buffer, dropping what the replay already sent: no gap and no duplicate across the switch.
/// A replay is history the client asked for, so it is paced by the client's reading however large it is; live messages
/// that pile up behind it beyond the send-queue bound close the connection as a slow consumer, as the queue would.
/// </summary>
internal sealed class Subscription(RealtimeSession session, string channel)
{
    private readonly object _gate = new();
    private List<ChannelMessage>? _buffer = [];
    private long _bufferedBytes;
    private bool _overflowed;
    private long _lastSerial;
    private string? _epoch;
    // Live fan-out walks 10 000s of subscriptions per message: going straight to the connection skips two objects.
    private readonly WebSocketConnection? _target = session.SharedFrameTarget;

    public RealtimeSession Session { get; } = session;
    public string Channel { get; } = channel;

    public void Deliver(ChannelMessage message)
    {
        // Live (the common case): the broker delivers a channel's messages one at a time, and nothing else sends them
        // any more, so no lock is needed; GoLiveAsync published its last state before the buffer went away.
        if (Volatile.Read(ref _buffer) is null)
        {
            SendIfNew(message);
            return;
        }
        lock (_gate)
        {
            if (_buffer is null)
            {
                SendIfNew(message);
                return;
            }
            if (_overflowed) return;
            _buffer.Add(message);
            _bufferedBytes += message.Push.Payload.Length;
            if (_bufferedBytes <= Session.SendQueueLimit) return;
            _overflowed = true;
            _buffer.Clear();
        }
        Session.CloseAsSlowConsumer();
    }

    /// <summary>
    /// Sends <paramref name="replay"/> (oldest first) as fast as the client reads it, then the live messages buffered
    /// meanwhile, and goes live.
    /// </summary>
    public async ValueTask GoLiveAsync(StreamPosition position, IReadOnlyList<ChannelMessage> replay)
    {
        lock (_gate)
        {
            _epoch = position.Epoch;
            _lastSerial = replay.Count > 0 ? replay[0].Serial - 1 : position.Serial;
        }
        foreach (var message in replay)
        {
            await Session.WaitForSendRoomAsync().ConfigureAwait(false);
            lock (_gate)
            {
                if (_overflowed) return;
                SendIfNew(message);
            }
        }
        lock (_gate)
        {
            if (_lastSerial < position.Serial) _lastSerial = position.Serial;
        }
        while (true)
        {
            ChannelMessage[] live;
            lock (_gate)
            {
                if (_overflowed) return;
                if (_buffer!.Count == 0)
                {
                    Volatile.Write(ref _buffer, null);
                    return;
                }
                live = [.. _buffer];
                _buffer.Clear();
                _bufferedBytes = 0;
            }
            foreach (var message in live)
            {
                await Session.WaitForSendRoomAsync().ConfigureAwait(false);
                lock (_gate) SendIfNew(message);
            }
        }
    }

    private void SendIfNew(ChannelMessage message)
    {
        // A new epoch means the stream was recreated and its serials restarted: follow it.
        if (message.Epoch == _epoch && message.Serial <= _lastSerial) return;
        _epoch = message.Epoch;
        _lastSerial = message.Serial;
        if (_target is not null) WebSocketTransport.SendShared(_target, message.Push);
        else Session.Push(message.Push);
    }
}
