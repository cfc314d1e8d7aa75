namespace Wirehub.Realtime.Client;

/// <summary>The answer to a history query.</summary>
/// <param name="Position">The channel's position when the query ran.</param>
/// <param name="Messages">The messages, in the requested direction.</param>
public sealed record HistoryPage(StreamPosition Position, IReadOnlyList<ChannelMessage> Messages);
