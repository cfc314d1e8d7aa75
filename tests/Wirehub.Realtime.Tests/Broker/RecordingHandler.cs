using System.Collections.Concurrent;
using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Tests.Broker;

internal sealed class RecordingHandler : IBrokerEventHandler
{
    public ConcurrentQueue<ChannelMessage> Messages { get; } = new();
    public ConcurrentQueue<PresenceEvent> PresenceEvents { get; } = new();

    public void OnMessage(ChannelMessage message) => Messages.Enqueue(message);

    public void OnPresence(PresenceEvent presenceEvent) => PresenceEvents.Enqueue(presenceEvent);
}
