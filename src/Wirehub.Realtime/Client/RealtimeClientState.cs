namespace Wirehub.Realtime.Client;

/// <summary>Where a <see cref="RealtimeClient"/> is in its life.</summary>
public enum RealtimeClientState
{
    /// <summary>Not connected: before <see cref="RealtimeClient.ConnectAsync"/>, or after a first attempt failed.</summary>
    Disconnected,
    /// <summary>The first connection is being opened.</summary>
    Connecting,
    /// <summary>The server has answered <c>connect</c>; requests flow.</summary>
    Connected,
    /// <summary>The connection was lost; the client is waiting out its backoff or opening a new connection.</summary>
    Reconnecting,
    /// <summary>Closed for good (by the application, or by a close code that forbids reconnecting); create a new client to start again.</summary>
    Closed,
}
