using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// XORs payload bytes with a 4-byte masking key (RFC 6455 §5.3): byte i of the payload is XORed with key[i mod 4].
/// Masking is its own inverse, so the same call masks and unmasks. Section 9 pushes up to 16 MiB per message through
/// here, so the loop runs over whole vectors.
/// </summary>
internal static class PayloadMasker
{
    /// <param name="data">Bytes to transform in place.</param>
    /// <param name="key">The masking key as it appears on the wire.</param>
    /// <param name="offset">How many payload bytes precede <paramref name="data"/> in the frame (for chunked frames).</param>
    public static void Apply(Span<byte> data, ReadOnlySpan<byte> key, long offset = 0)
    {
        if (data.IsEmpty) return;
        int phase = (int)(offset & 3);
        // The key rotated so that index 0 lines up with data[0].
        Span<byte> rotated = stackalloc byte[4];
        for (int i = 0; i < 4; i++) rotated[i] = key[(phase + i) & 3];
        uint pattern = MemoryMarshal.Read<uint>(rotated);

        int done = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var mask = Vector.AsVectorByte(new Vector<uint>(pattern));
            var vectors = MemoryMarshal.Cast<byte, Vector<byte>>(data);
            for (int i = 0; i < vectors.Length; i++) vectors[i] ^= mask;
            done = vectors.Length * Vector<byte>.Count;
        }
        // Vector<byte>.Count is a multiple of 4, so the remainder starts at key phase 0 again.
        for (int i = done; i < data.Length; i++) data[i] ^= rotated[(i - done) & 3];
    }

    /// <summary>A fresh masking key; the harness does not need cryptographic strength (RFC 6455 §10.3 concerns browsers).</summary>
    public static byte[] NewKey()
    {
        var key = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(key, (uint)Random.Shared.Next() ^ ((uint)Random.Shared.Next() << 1));
        return key;
    }
}
