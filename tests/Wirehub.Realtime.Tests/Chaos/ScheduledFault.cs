namespace Wirehub.Realtime.Tests.Chaos;

/// <summary>A fault to inject once the publisher has <paramref name="At"/> messages acknowledged.</summary>
internal readonly record struct ScheduledFault(int At, ChaosFault Kind);
