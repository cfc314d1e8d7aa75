namespace Wirehub.Realtime.Broker;

/// <summary>
/// Who is present on each channel. Every change is delivered as a <see cref="PresenceEvent"/> through the broker to the
/// nodes subscribed to the channel.
/// </summary>
public interface IPresenceStore
{
    /// <summary>Enters the member (an update when the connection is already present).</summary>
    ValueTask EnterAsync(string channel, PresenceMember member, CancellationToken cancellationToken = default);

    /// <summary>Changes a present member's data; returns false when the connection is not present.</summary>
    ValueTask<bool> UpdateAsync(string channel, PresenceMember member, CancellationToken cancellationToken = default);

    /// <summary>Removes the connection's entry; returns false when it was not present.</summary>
    ValueTask<bool> LeaveAsync(string channel, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>The members present on the channel.</summary>
    ValueTask<IReadOnlyList<PresenceMember>> MembersAsync(string channel, CancellationToken cancellationToken = default);
}
