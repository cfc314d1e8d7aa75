namespace Wirehub.Realtime.Client;

/// <summary>Where a channel's subscription stands on the client side.</summary>
internal enum ChannelSubscriptionState
{
    Unsubscribed,
    /// <summary>A <c>subscribe</c> is on its way; it is sent again after a reconnect until answered.</summary>
    Subscribing,
    /// <summary>Subscribed with a known position: recovered or resubscribed from that position after a reconnect.</summary>
    Subscribed,
}
