namespace Wirehub.Realtime.Broker;

/// <summary>What happened to a presence member.</summary>
public enum PresenceAction
{
    /// <summary>The member entered the channel.</summary>
    Enter,

    /// <summary>The member changed its data.</summary>
    Update,

    /// <summary>The member left the channel.</summary>
    Leave,
}
