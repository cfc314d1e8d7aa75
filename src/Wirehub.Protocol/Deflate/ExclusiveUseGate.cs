namespace Wirehub.Protocol;

/// <summary>
/// Guards one direction's native zlib memory: one operation at a time, and a Dispose that arrives while an operation
/// runs (a connection torn down mid-send) leaves the freeing to that operation instead of pulling memory from under it.
/// </summary>
internal struct ExclusiveUseGate
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int DisposeRequested = 2;
    private const int Disposed = 3;

    private int _state;

    /// <summary>Claims the gate for one operation.</summary>
    /// <exception cref="InvalidOperationException">Another operation of the same kind is running.</exception>
    /// <exception cref="ObjectDisposedException">The owner was disposed.</exception>
    public void Enter(string operation)
    {
        int previous = Interlocked.CompareExchange(ref _state, Busy, Idle);
        if (previous == Idle)
        {
            return;
        }

        if (previous == Busy)
        {
            throw new InvalidOperationException(
                $"{operation} was called while another {operation} call on the same connection was running; " +
                "serialize the calls.");
        }

        throw new ObjectDisposedException(nameof(PerMessageDeflate), $"{operation} was called after Dispose.");
    }

    /// <summary>Releases the gate after an operation.</summary>
    /// <returns><see langword="true"/> when Dispose arrived meanwhile and the caller must now free the resources.</returns>
    public bool Exit()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Busy) == Busy)
        {
            return false;
        }

        Volatile.Write(ref _state, Disposed);
        return true;
    }

    /// <summary>Marks the gate disposed.</summary>
    /// <returns><see langword="true"/> when no operation runs and the caller must free the resources now;
    /// <see langword="false"/> when a running operation will, or they were already freed.</returns>
    public bool TryClaimForDispose()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            switch (state)
            {
                case Idle when Interlocked.CompareExchange(ref _state, Disposed, Idle) == Idle:
                    return true;
                case Busy when Interlocked.CompareExchange(ref _state, DisposeRequested, Busy) == Busy:
                    return false;
                case DisposeRequested or Disposed:
                    return false;
            }
        }
    }
}
