namespace Wirehub.Realtime.Server;

/// <summary>The application close codes of <c>wirehub.v1</c> (PROTOCOL.md, "Close codes").</summary>
internal static class CloseCode
{
    public const ushort Unauthorized = 4001;
    public const ushort TokenExpired = 4002;
    public const ushort Forbidden = 4003;
    public const ushort RecoveryKeyInvalid = 4004;
}
