using Wirehub.Realtime.Diagnostics;
using Wirehub.WebSockets;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// Whether a new fallback session may open: not while the host drains (WebSocket upgrades get 503 then too), and only
/// within the hub's connection limit and rate, whose slot the session then holds.
/// </summary>
internal sealed class FallbackAdmission(RealtimeHub hub, WebSocketDrain? drain)
{
    public RealtimeHub Hub { get; } = hub;

    /// <summary>Takes a connection slot; null when admitted, else the reason of the 503.</summary>
    public string? TryAdmit()
    {
        if (drain is { IsDraining: true })
        {
            TransportMetrics.Record(FallbackRefusal.Draining);
            return "The server is shutting down: connect again, another node will serve you.";
        }
        if (!Hub.Admission.TryAdmit()) return "The server is at its connection limit: retry after the Retry-After delay.";
        return null;
    }
}
