namespace Wirehub.Realtime.Protocol;

/// <summary>The <c>code</c> of an <c>error</c> reply (PROTOCOL.md, "Errors").</summary>
internal static class ErrorCode
{
    public const int BadRequest = 400;
    public const int NotConnected = 401;
    public const int Forbidden = 403;
    public const int NotSubscribed = 404;
    public const int AlreadySubscribed = 409;
    public const int ContinuityLost = 410;
    public const int TooLarge = 413;
    public const int RateLimited = 429;
    public const int Internal = 500;
    public const int Unavailable = 503;

    public static bool IsRetriable(int code) => code is RateLimited or Internal or Unavailable;
}
