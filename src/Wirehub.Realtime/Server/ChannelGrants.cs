using System.Text.Json;

namespace Wirehub.Realtime.Server;

/// <summary>
/// The <c>caps</c> claim: channel glob patterns and their capabilities. A <c>*</c> matches any run of characters except
/// <c>:</c>; the pattern <c>*</c> alone matches every channel (PROTOCOL.md, "Authentication").
/// </summary>
internal sealed class ChannelGrants
{
    public static readonly ChannelGrants Everything = new([("*", Capability.All)]);
    public static readonly ChannelGrants None = new([]);

    private readonly (string Pattern, Capability Capabilities)[] _grants;

    private ChannelGrants((string, Capability)[] grants) => _grants = grants;

    public static ChannelGrants Parse(JsonElement caps)
    {
        var grants = new List<(string, Capability)>();
        if (caps.ValueKind != JsonValueKind.Object) return None;
        foreach (var entry in caps.EnumerateObject())
        {
            var capabilities = Capability.None;
            if (entry.Value.ValueKind == JsonValueKind.Array)
                foreach (var name in entry.Value.EnumerateArray())
                    capabilities |= name.GetString() switch
                    {
                        "subscribe" => Capability.Subscribe,
                        "publish" => Capability.Publish,
                        "presence" => Capability.Presence,
                        "history" => Capability.History,
                        _ => Capability.None,
                    };
            grants.Add((entry.Name, capabilities));
        }
        return new ChannelGrants([.. grants]);
    }

    public bool Allows(string channel, Capability capability)
    {
        foreach (var (pattern, capabilities) in _grants)
            if ((capabilities & capability) == capability && Matches(pattern, channel)) return true;
        return false;
    }

    internal static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> channel)
    {
        if (pattern is "*") return true;
        while (!pattern.IsEmpty)
        {
            if (pattern[0] == '*')
            {
                var rest = pattern[1..];
                // The star takes 0..n characters, never crossing a ':'.
                for (int taken = 0; ; taken++)
                {
                    if (Matches(rest, channel[taken..]) && (rest.Length > 0 || taken == channel.Length)) return true;
                    if (taken == channel.Length || channel[taken] == ':') return false;
                }
            }
            if (channel.IsEmpty || pattern[0] != channel[0]) return false;
            pattern = pattern[1..];
            channel = channel[1..];
        }
        return channel.IsEmpty;
    }
}
