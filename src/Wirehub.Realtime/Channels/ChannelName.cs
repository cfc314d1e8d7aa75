namespace Wirehub.Realtime.Channels;

/// <summary>Channel-name rules of <c>wirehub.v1</c>: 1-255 characters from <c>[A-Za-z0-9_\-:.@/=,]</c>.</summary>
public static class ChannelName
{
    /// <summary>The longest valid channel name.</summary>
    public const int MaxLength = 255;

    /// <summary>True when <paramref name="name"/> is a valid channel name.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength) return false;
        foreach (char c in name)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                or '_' or '-' or ':' or '.' or '@' or '/' or '=' or ',';
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>The namespace of a channel: the part before the first <c>:</c>, or "" (the default namespace).</summary>
    public static string NamespaceOf(string channel)
    {
        int colon = channel.IndexOf(':');
        return colon < 0 ? "" : channel[..colon];
    }
}
