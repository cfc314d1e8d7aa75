using System.Security.Cryptography;
using System.Text;

namespace Wirehub.Interop.Tests.Payloads;

/// <summary>Payloads the tests send, reproducible from a seed, and how the peers report them back (SHA-256, hex).</summary>
internal static class TestPayload
{
    public const int OneMiB = 1024 * 1024;
    public const int SixteenMiB = 16 * 1024 * 1024;

    /// <summary>
    /// Random bytes of 6 bits each: they compress only to about three quarters, so a large message stays large on the
    /// wire with permessage-deflate, yet a deflated 16 MiB message still fits a 16 MiB frame limit (fully random bytes
    /// grow slightly when deflated).
    /// </summary>
    public static byte[] Random(int size, int seed = 6455)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i++) bytes[i] &= 0x3F;
        return bytes;
    }

    /// <summary>Every byte value, in order: a binary message that would trip any text handling.</summary>
    public static byte[] AllByteValues()
    {
        var bytes = new byte[256];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)i;
        return bytes;
    }

    /// <summary>Repetitive text of about <paramref name="size"/> characters: compresses well, above any compression threshold.</summary>
    public static string CompressibleText(int size)
    {
        var text = new StringBuilder(size + 64);
        for (int i = 0; text.Length < size; i++) text.Append("wirehub compresses this line, number ").Append(i % 10).Append('\n');
        return text.ToString(0, size);
    }

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
