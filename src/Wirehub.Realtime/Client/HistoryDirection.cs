namespace Wirehub.Realtime.Client;

/// <summary>The order of a history query's messages.</summary>
public enum HistoryDirection
{
    /// <summary>Oldest first.</summary>
    Forward,
    /// <summary>Newest first.</summary>
    Backward,
}
