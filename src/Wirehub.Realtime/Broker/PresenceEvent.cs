namespace Wirehub.Realtime.Broker;

/// <summary>A presence change on a channel.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Action">Enter, update or leave.</param>
/// <param name="Member">The member, with its data after the change.</param>
public sealed record PresenceEvent(string Channel, PresenceAction Action, PresenceMember Member);
