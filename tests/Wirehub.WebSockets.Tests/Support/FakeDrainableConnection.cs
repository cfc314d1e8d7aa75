namespace Wirehub.WebSockets.Tests.Support;

/// <summary>A connection of some other transport, as the drain sees it: it records when it was told to go away.</summary>
internal sealed class FakeDrainableConnection : IDrainableConnection
{
    private int _goneAway;

    /// <summary>How many times the drain called <see cref="GoAway"/>.</summary>
    public int GoneAway => Volatile.Read(ref _goneAway);

    public void GoAway() => Interlocked.Increment(ref _goneAway);
}
