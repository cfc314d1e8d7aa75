namespace Wirehub.Realtime.Protocol;

/// <summary>A request the server refuses: the <c>error</c> reply it gets.</summary>
internal sealed class ProtocolError(int code, string message, string? reason = null) : Exception(message)
{
    public int Code { get; } = code;
    public string? Reason { get; } = reason;
}
