namespace Wirehub.Protocol;

/// <summary>
/// A small shared stock of interchangeable zlib streams. A deflater with a 15-bit window costs about 256 KiB, so a
/// direction without context takeover borrows one for each message instead of keeping its own, and idle connections
/// hold none. Streams are reset when returned; beyond the capacity they are freed.
/// </summary>
internal sealed class ZLibStreamPool<T> where T : class, IDisposable
{
    private readonly Func<T> _create;
    private readonly Action<T> _reset;
    private readonly T?[] _items;
    private readonly Lock _lock = new();
    private int _count;

    public ZLibStreamPool(Func<T> create, Action<T> reset, int capacity)
    {
        _create = create;
        _reset = reset;
        _items = new T?[capacity];
    }

    /// <summary>How many idle streams the pool holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public T Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                T item = _items[--_count]!;
                _items[_count] = null;
                return item;
            }
        }

        return _create();
    }

    public void Return(T item)
    {
        try
        {
            _reset(item);
        }
        catch
        {
            item.Dispose();
            throw;
        }

        lock (_lock)
        {
            if (_count < _items.Length)
            {
                _items[_count++] = item;
                return;
            }
        }

        item.Dispose();
    }
}
