using System.Buffers.Text;
using System.Security.Cryptography;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// Ids of fallback transport sessions. The id alone lets a request post frames into a session, so it is a bearer
/// secret: 128 bits from the operating system's cryptographic generator, base64url (22 characters).
/// </summary>
internal static class TransportSessionId
{
    public const int Bits = 128;
    public const int Length = 22;

    public static string New()
    {
        Span<byte> random = stackalloc byte[Bits / 8];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
