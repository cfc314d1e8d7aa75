using System.Text.Json;

namespace Wirehub.Realtime.Client;

/// <summary>A connection present on a channel, with the data it entered or last updated.</summary>
/// <param name="ClientId">The member's client id.</param>
/// <param name="ConnectionId">The member's connection.</param>
/// <param name="Data">Its presence data (<see cref="JsonValueKind.Undefined"/> when none).</param>
public sealed record PresenceMember(string ClientId, string ConnectionId, JsonElement Data);
