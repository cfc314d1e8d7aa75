namespace Wirehub.WebSockets.Tests.Support;

/// <summary>Waits for a condition the engine reaches asynchronously; the wait is bounded, never the assertion.</summary>
internal static class Eventually
{
    public static async Task Until(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? RawPeer.Patience);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
