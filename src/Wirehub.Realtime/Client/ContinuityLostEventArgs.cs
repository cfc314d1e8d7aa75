namespace Wirehub.Realtime.Client;

/// <summary>
/// The server could not deliver every message after the last one processed (the stream's epoch changed or its history
/// no longer reaches back): messages may have been missed, so refetch the channel's state.
/// </summary>
public sealed class ContinuityLostEventArgs(StreamPosition? lastProcessed, StreamPosition resumedAt) : EventArgs
{
    /// <summary>The last position processed before the gap, if any.</summary>
    public StreamPosition? LastProcessed { get; } = lastProcessed;

    /// <summary>The channel's position where delivery resumes: live messages follow it.</summary>
    public StreamPosition ResumedAt { get; } = resumedAt;
}
