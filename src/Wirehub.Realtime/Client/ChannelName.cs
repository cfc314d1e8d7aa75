using System.Buffers;

namespace Wirehub.Realtime.Client;

/// <summary>The channel-name rule of PROTOCOL.md: 1-255 characters from <c>[A-Za-z0-9_\-:.@/=,]</c>.</summary>
internal static class ChannelName
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-:.@/=,");

    public static bool IsValid(string name) => name.Length is >= 1 and <= 255 && !name.AsSpan().ContainsAnyExcept(Allowed);
}
