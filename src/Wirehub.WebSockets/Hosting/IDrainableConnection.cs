namespace Wirehub.WebSockets;

/// <summary>
/// A connection the host's <see cref="WebSocketDrain"/> closes when it drains, whatever transport carries it. The
/// engine's own WebSocket connections report to the drain by themselves; another transport of the same host (an HTTP
/// fallback that emulates a WebSocket connection) implements this and reports with
/// <see cref="WebSocketDrain.TryTrack(IDrainableConnection)"/> and <see cref="WebSocketDrain.Untrack(IDrainableConnection)"/>,
/// so one schedule spreads the closes of every connection over the drain window.
/// </summary>
public interface IDrainableConnection
{
    /// <summary>
    /// Starts closing with 1001 Going Away, after what is already queued for the peer, and returns without waiting: the
    /// connection then ends on its own and its transport untracks it. Must not throw, and must do nothing on a connection
    /// that is already closing.
    /// </summary>
    void GoAway();
}
