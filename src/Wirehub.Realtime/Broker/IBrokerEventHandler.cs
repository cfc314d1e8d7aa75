namespace Wirehub.Realtime.Broker;

/// <summary>
/// Receives what a broker delivers to this node, for the channels the node subscribed to. Calls for one channel come
/// one at a time, messages in serial order.
/// </summary>
public interface IBrokerEventHandler
{
    /// <summary>A message was published to a subscribed channel.</summary>
    void OnMessage(ChannelMessage message);

    /// <summary>A presence member of a subscribed channel entered, updated or left.</summary>
    void OnPresence(PresenceEvent presenceEvent);
}
