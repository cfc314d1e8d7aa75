namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>
/// A seeded schedule of faults for one client: one fault per slot of publish progress, at a random point early in the
/// slot, so a fault (a stall lasts part of a slot) is over before the next starts. The kinds are a shuffle of the
/// client's possible faults, repeated as needed, so every kind occurs.
/// </summary>
internal static class FaultPlan
{
    public static IReadOnlyList<ScheduledFault> Create(Random random, IReadOnlyList<ChaosFault> kinds, int first, int slots, int slotLength,
        int jitter)
    {
        var order = new List<ChaosFault>();
        while (order.Count < slots)
        {
            var round = kinds.ToArray();
            random.Shuffle(round);
            order.AddRange(round);
        }
        return [.. Enumerable.Range(0, slots).Select(slot => new ScheduledFault(first + slot * slotLength + random.Next(jitter), order[slot]))];
    }
}
