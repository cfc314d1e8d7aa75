namespace Wirehub.Interop.Tests;

/// <summary>
/// Upper bounds on waits, so a broken peer fails a test instead of hanging the suite. They are generous because the
/// machine is shared; no test asserts how fast anything is.
/// </summary>
internal static class InteropTimeouts
{
    /// <summary>For one observable event: a message, a close, a started process.</summary>
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(20);

    /// <summary>For a 16 MiB message to travel both ways through a scripted peer.</summary>
    public static readonly TimeSpan LargeMessage = TimeSpan.FromSeconds(60);
}
