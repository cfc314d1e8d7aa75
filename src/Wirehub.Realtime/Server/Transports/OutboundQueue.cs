namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// Frames queued for the downstream of an emulated transport, with their total size for the send-queue bound. Not
/// thread-safe: the transport's lock guards it. Its array is reused, so queueing a frame allocates nothing.
/// </summary>
internal sealed class OutboundQueue
{
    private OutboundFrame[] _items = new OutboundFrame[16];
    private int _count;

    public int Count => _count;

    /// <summary>Bytes of JSON queued.</summary>
    public long Bytes { get; private set; }

    public ReadOnlySpan<OutboundFrame> Items => _items.AsSpan(0, _count);

    public void Add(in OutboundFrame frame)
    {
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = frame;
        Bytes += frame.Length;
    }

    /// <summary>Releases every frame (written or dropped) and empties the queue.</summary>
    public void Clear()
    {
        foreach (ref readonly var frame in Items) frame.Release();
        Array.Clear(_items, 0, _count);
        _count = 0;
        Bytes = 0;
    }
}
