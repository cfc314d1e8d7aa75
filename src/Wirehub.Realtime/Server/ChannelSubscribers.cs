namespace Wirehub.Realtime.Server;

/// <summary>The local subscriptions of one channel: a copy-on-write array, so fan-out reads it without locking.</summary>
internal sealed class ChannelSubscribers
{
    private Subscription[] _items = [];

    public Subscription[] Items => Volatile.Read(ref _items);

    /// <summary>Adds; returns true when this is the channel's first local subscriber. Callers serialise changes.</summary>
    public bool Add(Subscription subscription)
    {
        var items = _items;
        Volatile.Write(ref _items, [.. items, subscription]);
        return items.Length == 0;
    }

    /// <summary>Removes; returns true when no local subscriber is left. Callers serialise changes.</summary>
    public bool Remove(Subscription subscription)
    {
        var items = _items;
        int index = Array.IndexOf(items, subscription);
        if (index < 0) return items.Length == 0;
        var next = new Subscription[items.Length - 1];
        items.AsSpan(0, index).CopyTo(next);
        items.AsSpan(index + 1).CopyTo(next.AsSpan(index));
        Volatile.Write(ref _items, next);
        return next.Length == 0;
    }
}
