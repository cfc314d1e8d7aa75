namespace Wirehub.Realtime.Diagnostics;

/// <summary>
/// Why a fallback transport request was refused, as counted by <c>fallback.requests.refused</c> (its <c>reason</c>
/// tag). Opening a session at the connection limit or rate is load shed, counted by <c>shed</c> instead.
/// </summary>
internal enum FallbackRefusal
{
    /// <summary>404: the session is unknown or has ended.</summary>
    UnknownSession,

    /// <summary>409: a second poll while one is outstanding.</summary>
    ConcurrentPoll,

    /// <summary>413: a POST body larger than the frame limit.</summary>
    TooLarge,

    /// <summary>400: a POST body that is not UTF-8.</summary>
    InvalidUtf8,

    /// <summary>403: an <c>Origin</c> outside the allowlist.</summary>
    Origin,

    /// <summary>503: a session opened while the server drains.</summary>
    Draining,
}
