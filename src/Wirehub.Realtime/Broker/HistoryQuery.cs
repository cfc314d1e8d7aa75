namespace Wirehub.Realtime.Broker;

/// <summary>What to read from a channel's history.</summary>
/// <param name="Limit">At most this many messages.</param>
/// <param name="Direction">Oldest or newest first.</param>
/// <param name="Since">Only messages after this position; null for the whole retained history.</param>
public readonly record struct HistoryQuery(int Limit, HistoryDirection Direction = HistoryDirection.Forward, StreamPosition? Since = null);
