using StackExchange.Redis;
using StreamPosition = Wirehub.Realtime.Broker.StreamPosition;

namespace Wirehub.Redis;

/// <summary>
/// This node's one subscription to a channel: the pub/sub queue it reads in order, and the position of the last message
/// it delivered, so a gap (messages missed while the pub/sub connection was down) is filled from the stream before the
/// next message goes out. <see cref="Gate"/> makes deliveries of one channel one at a time.
/// </summary>
internal sealed class ChannelFeed(string channel)
{
    public string Channel { get; } = channel;
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The pub/sub queue; null until Redis confirmed the subscription.</summary>
    public ChannelMessageQueue? Queue { get; set; }

    /// <summary>Set once the channel was unsubscribed: nothing more is delivered.</summary>
    public bool Closed { get; set; }

    /// <summary>Epoch of the last delivered message; null before the first.</summary>
    public string? Epoch { get; set; }

    /// <summary>Serial of the last delivered message.</summary>
    public long Serial { get; set; }

    /// <summary>The stream's position at the previous liveness check: by the next check it must have been delivered.</summary>
    public StreamPosition? Observed { get; set; }

    /// <summary>
    /// Whether messages the stream held at the previous check have still not been delivered: the subscription went deaf
    /// (a pub/sub connection renewed without it, say). Callers hold <see cref="Gate"/>.
    /// </summary>
    public bool MissedSince(StreamPosition? observed) => observed is { } o && (Epoch == o.Epoch ? Serial < o.Serial : o.Serial > 0);
}
