using Wirehub.Realtime.Channels;

namespace Wirehub.Cli.Configuration;

/// <summary>The validated rules of one namespace (or of the default namespace), as configured.</summary>
internal sealed record NamespaceRules(int HistorySize, TimeSpan HistoryTtl, bool Presence, PublishPolicy Publish)
{
    public NamespaceOptions ToOptions() => new()
    {
        HistorySize = HistorySize,
        HistoryTtl = HistoryTtl,
        Presence = Presence,
        Publish = Publish,
    };
}
