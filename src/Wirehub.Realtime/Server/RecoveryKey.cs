using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Wirehub.Realtime.Server;

/// <summary>
/// The <c>recoveryKey</c>: the client id and connection id of a session, signed with HMAC-SHA256, so any node holding
/// the secret verifies it without shared state. Format: <c>rk1.{base64url(clientId|connectionId|issuedMs)}.{base64url(mac)}</c>.
/// </summary>
internal static class RecoveryKey
{
    private const string Prefix = "rk1.";

    public static string Issue(byte[] secret, string clientId, string connectionId, long issuedMs)
    {
        byte[] payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{clientId}|{connectionId}|{issuedMs}"));
        byte[] mac = HMACSHA256.HashData(secret, payload);
        return Prefix + Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    public static bool TryVerify(byte[] secret, string key, out string clientId, out string connectionId)
    {
        clientId = connectionId = "";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        string[] parts = key[Prefix.Length..].Split('.');
        if (parts.Length != 2) return false;
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[0]);
            mac = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(secret, payload))) return false;
        string[] fields = Encoding.UTF8.GetString(payload).Split('|');
        if (fields.Length != 3) return false;
        clientId = fields[0];
        connectionId = fields[1];
        return true;
    }
}
