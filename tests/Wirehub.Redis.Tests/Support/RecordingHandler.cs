using System.Collections.Concurrent;
using Wirehub.Realtime.Broker;

namespace Wirehub.Redis.Tests.Support;

/// <summary>Records what a broker delivers to its node.</summary>
internal sealed class RecordingHandler : IBrokerEventHandler
{
    public ConcurrentQueue<ChannelMessage> Messages { get; } = new();
    public ConcurrentQueue<PresenceEvent> PresenceEvents { get; } = new();

    public void OnMessage(ChannelMessage message) => Messages.Enqueue(message);

    public void OnPresence(PresenceEvent presenceEvent) => PresenceEvents.Enqueue(presenceEvent);

    public long[] Serials(string channel) => Messages.Where(m => m.Channel == channel).Select(m => m.Serial).ToArray();
}
