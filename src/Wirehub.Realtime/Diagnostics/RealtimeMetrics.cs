using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Wirehub.Realtime.Server;

namespace Wirehub.Realtime.Diagnostics;

/// <summary>
/// The realtime layer's metrics on the <see cref="Meter"/> named <c>Wirehub.Realtime</c>: connected sessions,
/// channels with local subscribers and their subscriptions (read from the hubs when a listener collects), load shed by
/// reason, the broker's latency per operation, and the transports' own figures (<see cref="TransportMetrics"/>).
/// </summary>
internal static class RealtimeMetrics
{
    public const string MeterName = "Wirehub.Realtime";

    private static readonly ConcurrentDictionary<RealtimeHub, byte> Hubs = new();
    private static readonly long[] Shed = new long[(int)ShedReason.RequestRate + 1];
    private static readonly KeyValuePair<string, object?> PublishTag = new("operation", "publish");
    private static readonly KeyValuePair<string, object?> HistoryTag = new("operation", "history");

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> BrokerDuration = Meter.CreateHistogram<double>("broker.duration", "s",
        "Time the broker took to answer, by operation: publish or history.");

    static RealtimeMetrics()
    {
        Meter.CreateObservableUpDownCounter("sessions", () => Sum(static c => c.Sessions), "{session}",
            "Realtime sessions connected (past their connect frame), over every transport.");
        Meter.CreateObservableUpDownCounter("channels", () => Sum(static c => c.Channels), "{channel}",
            "Channels with at least one subscriber on this node.");
        Meter.CreateObservableUpDownCounter("subscribers", () => Sum(static c => c.Subscribers), "{subscription}",
            "Channel subscriptions held by this node's sessions.");
        Meter.CreateObservableCounter("shed", ObserveShed, "{request}",
            "Work turned away, by reason: connection_limit and connection_rate (upgrade answered 503), request_rate (closed with 1013).");
        TransportMetrics.CreateInstruments(Meter);
    }

    public static void Track(RealtimeHub hub) => Hubs.TryAdd(hub, 0);

    public static void Untrack(RealtimeHub hub) => Hubs.TryRemove(hub, out _);

    public static void Record(ShedReason reason) => Interlocked.Increment(ref Shed[(int)reason]);

    public static void PublishTook(long startTimestamp) =>
        BrokerDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, PublishTag);

    public static void HistoryTook(long startTimestamp) =>
        BrokerDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, HistoryTag);

    private static long Sum(Func<HubCounts, long> select)
    {
        long total = 0;
        foreach (var hub in Hubs.Keys) total += select(hub.Count());
        return total;
    }

    private static IEnumerable<Measurement<long>> ObserveShed()
    {
        for (int i = 0; i < Shed.Length; i++)
        {
            long count = Volatile.Read(ref Shed[i]);
            if (count == 0) continue;
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("reason", (ShedReason)i switch
            {
                ShedReason.ConnectionLimit => "connection_limit",
                ShedReason.ConnectionRate => "connection_rate",
                _ => "request_rate",
            }));
        }
    }
}
