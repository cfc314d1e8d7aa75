namespace Wirehub.Operations.Tests.Support;

/// <summary>Waits for a condition the server reaches asynchronously; the wait is bounded, never the assertion.</summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WirehubProcess.Patience;
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
