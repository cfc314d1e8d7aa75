namespace Wirehub.WebSockets;

/// <summary>Why an upgrade request was refused, as counted by <c>handshake.failures</c> (its <c>reason</c> tag).</summary>
internal enum HandshakeFailure
{
    /// <summary>400: the request is not a valid upgrade (RFC 6455 §4.2.1), or its extensions header is malformed.</summary>
    BadRequest,

    /// <summary>403: the origin is not allowed.</summary>
    Forbidden,

    /// <summary>426: an unsupported Sec-WebSocket-Version.</summary>
    UpgradeRequired,

    /// <summary>431: the request head is larger than the endpoint accepts.</summary>
    HeadTooLarge,

    /// <summary>No complete request head within the handshake timeout.</summary>
    Timeout,

    /// <summary>503: the server is draining and accepts no new connections.</summary>
    Draining,

    /// <summary>Any other refusal status.</summary>
    Other,

    /// <summary>
    /// Closed by the event-loop transport as soon as it was accepted: the process was at (or within the reserved
    /// headroom of) its open-files limit, or out of socket memory.
    /// </summary>
    ResourceLimit,
}
