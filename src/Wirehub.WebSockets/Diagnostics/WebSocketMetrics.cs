using System.Diagnostics.Metrics;

namespace Wirehub.WebSockets;

/// <summary>
/// The engine's metrics on the <see cref="Meter"/> named <c>Wirehub.WebSockets</c>: server-side connections (open,
/// opened, closed by close code), refused handshakes by reason, data messages and wire bytes in and out, bytes waiting
/// in send queues, and slow consumers cut. Every instrument is observable: the message path only bumps a counter, and
/// values are read when a listener collects, so instrumentation costs a send or a receive no allocation and no tags.
/// </summary>
internal static class WebSocketMetrics
{
    public const string MeterName = "Wirehub.WebSockets";

    private const int FirstCode = 1000;
    private const int CodeCount = 4000; // close codes 1000-4999 (RFC 6455 §7.4.2)

    private static readonly long[] ClosedByCode = new long[CodeCount];
    private static readonly string?[] CodeTags = new string?[CodeCount];
    private static readonly long[] Refused = new long[(int)HandshakeFailure.ResourceLimit + 1];
    private static long _opened;
    private static long _open;
    private static long _slowConsumers;

    private static readonly Meter Meter = CreateMeter();

    /// <summary>Publishes the instruments, so a listener sees them before the first connection.</summary>
    public static void EnsureCreated() => GC.KeepAlive(Meter);

    /// <summary>A server connection finished its opening handshake.</summary>
    public static void ConnectionOpened()
    {
        Interlocked.Increment(ref _opened);
        Interlocked.Increment(ref _open);
    }

    /// <summary>
    /// A server connection ended (once per <see cref="ConnectionOpened"/>), with <see cref="WebSocketConnection.CloseStatus"/>
    /// as its close code.
    /// </summary>
    public static void ConnectionClosed(WebSocketConnection connection)
    {
        Interlocked.Decrement(ref _open);
        int code = connection.CloseStatus ?? CloseCode.AbnormalClosure;
        if (code is >= FirstCode and < FirstCode + CodeCount) Interlocked.Increment(ref ClosedByCode[code - FirstCode]);
    }

    public static void HandshakeRefused(HandshakeFailure reason) => Interlocked.Increment(ref Refused[(int)reason]);

    public static void HandshakeRefused(int statusCode) => HandshakeRefused(statusCode switch
    {
        400 => HandshakeFailure.BadRequest,
        403 => HandshakeFailure.Forbidden,
        426 => HandshakeFailure.UpgradeRequired,
        431 => HandshakeFailure.HeadTooLarge,
        503 => HandshakeFailure.Draining,
        _ => HandshakeFailure.Other,
    });

    public static void SlowConsumerClosed() => Interlocked.Increment(ref _slowConsumers);

    private static Meter CreateMeter()
    {
        var meter = new Meter(MeterName);
        meter.CreateObservableUpDownCounter("connections.open", () => Volatile.Read(ref _open), "{connection}",
            "Server WebSocket connections open now.");
        meter.CreateObservableCounter("connections.opened", () => Volatile.Read(ref _opened), "{connection}",
            "Server WebSocket connections that completed their opening handshake.");
        meter.CreateObservableCounter("connections.closed", ObserveClosed, "{connection}",
            "Server WebSocket connections ended, by close code (1006: dropped without a closing handshake).");
        meter.CreateObservableCounter("handshake.failures", ObserveRefused, "{request}",
            "Upgrade requests refused, by reason: 400, 403, 426, 431, timeout, draining or other.");
        meter.CreateObservableCounter("messages.received", TrafficCounters.TotalMessagesReceived, "{message}",
            "Data messages received on server connections.");
        meter.CreateObservableCounter("messages.sent", TrafficCounters.TotalMessagesSent, "{message}",
            "Data messages sent on server connections (each connection of a broadcast counts).");
        meter.CreateObservableCounter("bytes.received", TrafficCounters.TotalBytesReceived, "By",
            "Bytes of WebSocket frames received on server connections, headers included.");
        meter.CreateObservableCounter("bytes.sent", TrafficCounters.TotalBytesSent, "By",
            "Bytes of WebSocket frames handed to the transport by server connections, headers included.");
        // Summed over the connections when collected: nothing per connection or per send is kept for it.
        meter.CreateObservableUpDownCounter("send_queue.bytes", KeepAliveSweeper.QueuedBytesOfServers, "By",
            "Bytes accepted by sends and not yet handed to the transport, across server connections.");
        meter.CreateObservableCounter("slow_consumer.disconnects", () => Volatile.Read(ref _slowConsumers), "{connection}",
            "Connections closed with 1008 because their send queue overflowed.");
        return meter;
    }

    private static IEnumerable<Measurement<long>> ObserveClosed()
    {
        for (int i = 0; i < CodeCount; i++)
        {
            long count = Volatile.Read(ref ClosedByCode[i]);
            if (count == 0) continue;
            string tag = CodeTags[i] ??= (FirstCode + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("code", tag));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveRefused()
    {
        for (int i = 0; i < Refused.Length; i++)
        {
            long count = Volatile.Read(ref Refused[i]);
            if (count == 0) continue;
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("reason", ReasonTag((HandshakeFailure)i)));
        }
    }

    private static string ReasonTag(HandshakeFailure reason) => reason switch
    {
        HandshakeFailure.BadRequest => "400",
        HandshakeFailure.Forbidden => "403",
        HandshakeFailure.UpgradeRequired => "426",
        HandshakeFailure.HeadTooLarge => "431",
        HandshakeFailure.Timeout => "timeout",
        HandshakeFailure.Draining => "draining",
        HandshakeFailure.ResourceLimit => "resource-limit",
        _ => "other",
    };
}
