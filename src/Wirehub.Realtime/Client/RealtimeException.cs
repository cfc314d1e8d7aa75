namespace Wirehub.Realtime.Client;

/// <summary>
/// A request failed: the server answered with an <c>error</c> (<see cref="Code"/> from the protocol's error table), or
/// the client closed for good before the answer came (<see cref="Code"/> is then the WebSocket close code).
/// </summary>
public sealed class RealtimeException : Exception
{
    /// <summary>Creates an exception for a failed request.</summary>
    public RealtimeException(int code, string message, bool retriable, string? reason = null) : base(message)
    {
        Code = code;
        Retriable = retriable;
        Reason = reason;
    }

    /// <summary>The error code (400, 401, 403, 404, 409, 410, 413, 429, 500, 503) or a close code.</summary>
    public int Code { get; }

    /// <summary>True when the same request may succeed if tried again later (429, 500, 503).</summary>
    public bool Retriable { get; }

    /// <summary>A machine-readable reason when the server gave one (for example <c>continuity_lost</c>).</summary>
    public string? Reason { get; }
}
