namespace Wirehub.Realtime.Channels;

/// <summary>Who may publish to the channels of a namespace.</summary>
public enum PublishPolicy
{
    /// <summary>Any connected client.</summary>
    Anyone,

    /// <summary>Only connections subscribed to the channel.</summary>
    Subscribers,

    /// <summary>Only the server (<see cref="Server.IRealtimePublisher"/>, <c>POST /api/publish</c>).</summary>
    ServerOnly,
}
