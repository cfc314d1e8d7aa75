namespace Wirehub.Realtime.Client;

/// <summary>A member entered, updated or left a channel's presence set.</summary>
public sealed class PresenceChangedEventArgs(PresenceAction action, PresenceMember member) : EventArgs
{
    /// <summary>What happened.</summary>
    public PresenceAction Action { get; } = action;

    /// <summary>The member it happened to, with its data.</summary>
    public PresenceMember Member { get; } = member;
}
