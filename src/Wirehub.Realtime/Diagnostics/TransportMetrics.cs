using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Wirehub.Realtime.Diagnostics;

/// <summary>
/// The realtime metrics of each transport, on the <c>Wirehub.Realtime</c> meter: sessions open, opened and closed (by
/// close code) per transport, fallback requests refused by reason, and the fallbacks' frames and bytes. A session's
/// open and close cost an interlocked increment each; the per-frame figures are <see cref="FallbackTraffic"/>'s
/// per-thread counts; everything is read when a listener collects.
/// </summary>
internal static class TransportMetrics
{
    private const int TransportCount = (int)TransportType.LongPolling + 1;

    private static readonly long[] Open = new long[TransportCount];
    private static readonly long[] Opened = new long[TransportCount];
    private static readonly long[] Refused = new long[(int)FallbackRefusal.Draining + 1];
    private static readonly ConcurrentDictionary<int, ClosedCount> Closed = new();
    private static readonly TransportType[] Fallbacks = [TransportType.ServerSentEvents, TransportType.LongPolling];

    /// <summary>A session of <paramref name="transport"/> opened: its WebSocket was accepted, or its fallback session id issued.</summary>
    public static void SessionOpened(TransportType transport)
    {
        Interlocked.Increment(ref Open[(int)transport]);
        Interlocked.Increment(ref Opened[(int)transport]);
    }

    /// <summary>A session ended (once per <see cref="SessionOpened"/>) with <paramref name="code"/>, 1006 when it was dropped.</summary>
    public static void SessionClosed(TransportType transport, ushort code)
    {
        Interlocked.Decrement(ref Open[(int)transport]);
        // One entry per transport and code ever seen: after the first close with a code, counting allocates nothing.
        Closed.GetOrAdd((int)transport << 16 | code, static key => new ClosedCount(key)).Increment();
    }

    public static void Record(FallbackRefusal reason) => Interlocked.Increment(ref Refused[(int)reason]);

    /// <summary>Adds the instruments to the realtime meter.</summary>
    public static void CreateInstruments(Meter meter)
    {
        meter.CreateObservableUpDownCounter("transport.sessions.open", () => PerTransport(Open), "{session}",
            "Sessions open now, by transport: websocket, sse or longpolling (connected or not yet).");
        meter.CreateObservableCounter("transport.sessions.opened", () => PerTransport(Opened), "{session}",
            "Sessions opened, by transport.");
        meter.CreateObservableCounter("transport.sessions.closed", ObserveClosed, "{session}",
            "Sessions ended, by transport and close code (1006: dropped without a close).");
        meter.CreateObservableCounter("fallback.requests.refused", ObserveRefused, "{request}",
            "Fallback transport requests refused, by reason: unknown_session (404), concurrent_poll (409), too_large (413), invalid_utf8 (400), origin (403), draining (503).");
        meter.CreateObservableCounter("fallback.messages.sent", () => PerFallback(FallbackTraffic.MessagesSent), "{message}",
            "wirehub.v1 frames written to fallback responses, by transport: sse or longpolling.");
        meter.CreateObservableCounter("fallback.bytes.sent", () => PerFallback(FallbackTraffic.BytesSent), "By",
            "Bytes of fallback response bodies (events, poll answers), by transport.");
        meter.CreateObservableCounter("fallback.messages.received", () => PerFallback(FallbackTraffic.MessagesReceived), "{message}",
            "wirehub.v1 frames read from fallback POST bodies, by transport.");
        meter.CreateObservableCounter("fallback.bytes.received", () => PerFallback(FallbackTraffic.BytesReceived), "By",
            "Bytes of fallback POST bodies handed to their sessions, by transport.");
    }

    private static KeyValuePair<string, object?> TransportTag(TransportType transport) => new("transport", transport switch
    {
        TransportType.WebSocket => "websocket",
        TransportType.ServerSentEvents => "sse",
        _ => "longpolling",
    });

    private static IEnumerable<Measurement<long>> PerTransport(long[] counts)
    {
        for (int i = 0; i < TransportCount; i++)
            yield return new Measurement<long>(Volatile.Read(ref counts[i]), TransportTag((TransportType)i));
    }

    private static IEnumerable<Measurement<long>> PerFallback(Func<TransportType, long> read)
    {
        foreach (var transport in Fallbacks) yield return new Measurement<long>(read(transport), TransportTag(transport));
    }

    private static IEnumerable<Measurement<long>> ObserveClosed()
    {
        foreach (var closed in Closed.Values) yield return new Measurement<long>(closed.Count, closed.Tags);
    }

    private static IEnumerable<Measurement<long>> ObserveRefused()
    {
        for (int i = 0; i < Refused.Length; i++)
        {
            long count = Volatile.Read(ref Refused[i]);
            if (count == 0) continue;
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("reason", (FallbackRefusal)i switch
            {
                FallbackRefusal.UnknownSession => "unknown_session",
                FallbackRefusal.ConcurrentPoll => "concurrent_poll",
                FallbackRefusal.TooLarge => "too_large",
                FallbackRefusal.InvalidUtf8 => "invalid_utf8",
                FallbackRefusal.Origin => "origin",
                _ => "draining",
            }));
        }
    }

    /// <summary>Closes of one transport with one code, with the tags they are reported under.</summary>
    private sealed class ClosedCount(int key)
    {
        private long _count;

        public long Count => Volatile.Read(ref _count);

        public KeyValuePair<string, object?>[] Tags { get; } =
        [
            TransportTag((TransportType)(key >> 16)),
            new("code", (key & 0xFFFF).ToString(CultureInfo.InvariantCulture)),
        ];

        public void Increment() => Interlocked.Increment(ref _count);
    }
}
