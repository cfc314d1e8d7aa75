using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Server;

/// <summary>
/// One connection's subscription to one channel. It starts buffering live messages, so a replay from history can be sent
/// first; going live flushes the buffer, dropping what the replay already sent: no gap and no duplicate across the switch.
/// </summary>
internal sealed class Subscription(RealtimeSession session, string channel)
{
    private readonly object _gate = new();
    private List<ChannelMessage>? _buffer = [];
    private long _lastSerial;
    private string? _epoch;

    public RealtimeSession Session { get; } = session;
    public string Channel { get; } = channel;

    public void Deliver(ChannelMessage message)
    {
        lock (_gate)
        {
            if (_buffer is not null) _buffer.Add(message);
            else SendIfNew(message);
        }
    }

    /// <summary>Sends <paramref name="replay"/> (oldest first), then the buffered live messages after it, and goes live.</summary>
    public void GoLive(StreamPosition position, IReadOnlyList<ChannelMessage> replay)
    {
        lock (_gate)
        {
            _epoch = position.Epoch;
            _lastSerial = replay.Count > 0 ? replay[0].Serial - 1 : position.Serial;
            foreach (var message in replay) SendIfNew(message);
            if (_lastSerial < position.Serial) _lastSerial = position.Serial;
            foreach (var message in _buffer!) SendIfNew(message);
            _buffer = null;
        }
    }

    private void SendIfNew(ChannelMessage message)
    {
        // A new epoch means the stream was recreated and its serials restarted: follow it.
        if (message.Epoch == _epoch && message.Serial <= _lastSerial) return;
        _epoch = message.Epoch;
        _lastSerial = message.Serial;
        Session.Push(message.Push);
    }
}
