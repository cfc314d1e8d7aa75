namespace Wirehub.Realtime.Diagnostics;

/// <summary>What carries a <c>wirehub.v1</c> session, as the transport metrics tag it (<c>transport</c>).</summary>
internal enum TransportType
{
    /// <summary><c>websocket</c>: the realtime endpoint's WebSocket.</summary>
    WebSocket,

    /// <summary><c>sse</c>: Server-Sent Events down, POST up.</summary>
    ServerSentEvents,

    /// <summary><c>longpolling</c>: held GETs down, POST up.</summary>
    LongPolling,
}
