using Wirehub.Realtime.Broker;

namespace Wirehub.Realtime.Protocol;

/// <summary>How a subscription took effect: the channel's position then, and whether the requested messages were recovered.</summary>
internal readonly record struct SubscriptionOutcome(string Channel, StreamPosition Position, bool? Recovered);
