namespace Wirehub.Realtime.Client;

/// <summary>A <see cref="RealtimeClient"/> changed state, and why.</summary>
public sealed class RealtimeStateChangedEventArgs(RealtimeClientState previous, RealtimeClientState current,
    ushort? closeCode, Exception? error) : EventArgs
{
    /// <summary>The state before the change.</summary>
    public RealtimeClientState Previous { get; } = previous;

    /// <summary>The state now.</summary>
    public RealtimeClientState Current { get; } = current;

    /// <summary>The WebSocket close code that caused the change (1006 when the connection dropped), or null.</summary>
    public ushort? CloseCode { get; } = closeCode;

    /// <summary>The failure that caused the change (a refused handshake, a timeout, a silent server), or null.</summary>
    public Exception? Error { get; } = error;
}
