namespace Wirehub.WebSockets;

/// <summary>How a host drains its WebSocket connections when it stops (see <see cref="WebSocketDrain"/>).</summary>
public sealed class WebSocketDrainOptions
{
    private TimeSpan _window = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The time over which open connections are closed with 1001 Going Away, evenly spread so their clients do not all
    /// reconnect at the same moment (default 10 s). Zero closes every connection at once.
    /// </summary>
    public TimeSpan Window
    {
        get => _window;
        set => _window = value >= TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(Window), value, "The drain window must be between 0 and 1 hour.");
    }
}
