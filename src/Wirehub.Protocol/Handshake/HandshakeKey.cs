using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Wirehub.Protocol;

/// <summary>The Sec-WebSocket-Key nonce and the Sec-WebSocket-Accept value derived from it (RFC 6455 §4.1, §4.2.2).</summary>
public static class HandshakeKey
{
    /// <summary>The length of a client key: base64 of 16 bytes is 22 characters and two '=' padding characters.</summary>
    internal const int ClientKeyLength = 24;

    /// <summary>The length of an accept value: base64 of a 20-byte SHA-1 hash.</summary>
    internal const int AcceptLength = 28;

    private const int NonceLength = 16;
    private const int StackKeyBytes = 256;

    // RFC 6455 §1.3: the GUID appended to the key before hashing.
    private static ReadOnlySpan<byte> KeyGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    /// <summary>Creates a client key: 16 bytes from a cryptographically strong generator, base64-encoded (§4.1 item 7).</summary>
    public static string CreateClientKey()
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RandomNumberGenerator.Fill(nonce);
        return Convert.ToBase64String(nonce);
    }

    /// <summary>True when <paramref name="key"/> is the base64 encoding of exactly 16 bytes.</summary>
    /// <param name="key">The Sec-WebSocket-Key value, without surrounding whitespace.</param>
    public static bool IsValidClientKey(ReadOnlySpan<char> key)
    {
        // 16 bytes encode to 22 base64 characters followed by "==" (RFC 4648 §4); nothing else decodes to 16 bytes.
        if (key.Length != ClientKeyLength || key[22] != '=' || key[23] != '=')
        {
            return false;
        }

        foreach (var c in key[..22])
        {
            if (!IsBase64Character(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Computes the Sec-WebSocket-Accept value for a key: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
    /// (RFC 6455 §4.2.2 item 5.4). The returned string is the only allocation.
    /// </summary>
    /// <param name="key">The Sec-WebSocket-Key value as sent by the client.</param>
    public static string ComputeAccept(ReadOnlySpan<char> key)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        HashKey(key, hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>Writes the accept value for <paramref name="key"/> into <paramref name="destination"/> (28 characters).</summary>
    internal static void WriteAccept(ReadOnlySpan<char> key, Span<char> destination)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        HashKey(key, hash);
        if (!Convert.TryToBase64Chars(hash, destination, out var written) || written != AcceptLength)
        {
            throw new ArgumentException($"The destination must hold {AcceptLength} characters.", nameof(destination));
        }
    }

    private static void HashKey(ReadOnlySpan<char> key, Span<byte> hash)
    {
        // A valid key is 24 ASCII characters; the pooled path only serves oversized input from a misbehaving peer.
        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length) + KeyGuid.Length;
        byte[]? rented = null;
        var buffer = maxBytes <= StackKeyBytes
            ? stackalloc byte[StackKeyBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var keyBytes = Encoding.UTF8.GetBytes(key, buffer);
            KeyGuid.CopyTo(buffer[keyBytes..]);
            SHA1.HashData(buffer[..(keyBytes + KeyGuid.Length)], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool IsBase64Character(char c) =>
        char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/';
}
