namespace Wirehub.Redis.Tests.Support;

/// <summary>Waits for a condition that becomes true asynchronously (a delivery, a reaping round); fails after a patience.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Still waiting after {Patience.TotalSeconds} s for: {what}.");
            await Task.Delay(20);
        }
    }

    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
