namespace Wirehub.Realtime.Broker;

/// <summary>The answer to a history query.</summary>
/// <param name="Messages">The messages, in the query's direction.</param>
/// <param name="Position">The channel's current position when the query ran.</param>
/// <param name="Covered">
/// False when the query had a <see cref="HistoryQuery.Since"/> that history no longer covers: the epoch differs, or the
/// message after it is no longer retained. <see cref="Messages"/> is then empty.
/// </param>
public sealed record HistoryResult(IReadOnlyList<ChannelMessage> Messages, StreamPosition Position, bool Covered);
