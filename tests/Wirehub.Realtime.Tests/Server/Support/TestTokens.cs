using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Wirehub.Realtime.Tests.Server.Support;

/// <summary>HS256 JWTs built by hand, as any issuer would: header.payload.signature in base64url.</summary>
internal static class TestTokens
{
    public static readonly byte[] Key = Encoding.UTF8.GetBytes("a-test-signing-key-of-32-bytes!!");

    public static string Create(string sub, TimeSpan lifetime, string caps = "{\"*\":[\"subscribe\",\"publish\",\"presence\",\"history\"]}", byte[]? key = null)
    {
        long exp = DateTimeOffset.UtcNow.Add(lifetime).ToUnixTimeSeconds();
        string header = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        string payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"sub\":\"{sub}\",\"exp\":{exp},\"caps\":{caps}}}"));
        byte[] mac = HMACSHA256.HashData(key ?? Key, Encoding.ASCII.GetBytes(header + "." + payload));
        return header + "." + payload + "." + Base64Url.EncodeToString(mac);
    }
}
