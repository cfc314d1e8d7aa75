namespace Wirehub.Realtime.Diagnostics;

/// <summary>What one hub holds at the moment its metrics are collected.</summary>
internal readonly record struct HubCounts(long Sessions, long Channels, long Subscribers);
