namespace Wirehub.Realtime.Channels;

/// <summary>The rules of the channels of one namespace.</summary>
public sealed class NamespaceOptions
{
    private int _historySize = 100;
    private TimeSpan _historyTtl = TimeSpan.FromMinutes(5);

    /// <summary>Messages kept per channel for history, rewind and recovery (default 100; 0 keeps none).</summary>
    public int HistorySize
    {
        get => _historySize;
        set => _historySize = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "HistorySize must be 0 or more.");
    }

    /// <summary>How long a message stays in history (default 5 minutes).</summary>
    public TimeSpan HistoryTtl
    {
        get => _historyTtl;
        set => _historyTtl = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "HistoryTtl must be positive.");
    }

    /// <summary>Whether presence is enabled (default true).</summary>
    public bool Presence { get; set; } = true;

    /// <summary>Who may publish (default <see cref="PublishPolicy.Anyone"/>).</summary>
    public PublishPolicy Publish { get; set; } = PublishPolicy.Anyone;
}
