namespace Wirehub.Realtime.Broker;

/// <summary>The order in which history is returned.</summary>
public enum HistoryDirection
{
    /// <summary>Oldest first.</summary>
    Forward,

    /// <summary>Newest first.</summary>
    Backward,
}
