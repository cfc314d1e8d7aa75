namespace Wirehub.Realtime.Diagnostics;

/// <summary>Why the realtime server turned work away, as counted by <c>shed</c> (its <c>reason</c> tag).</summary>
internal enum ShedReason
{
    /// <summary>An upgrade answered 503: <c>RealtimeOptions.MaxConnections</c> were open.</summary>
    ConnectionLimit,

    /// <summary>An upgrade answered 503: more than <c>RealtimeOptions.ConnectionRate</c> new connections this second.</summary>
    ConnectionRate,

    /// <summary>A connection closed with 1013: it kept exceeding <c>RealtimeOptions.RequestRate</c>.</summary>
    RequestRate,
}
