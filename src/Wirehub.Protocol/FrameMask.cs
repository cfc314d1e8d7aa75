using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Wirehub.Protocol;

/// <summary>Masks and unmasks frame payloads (RFC 6455 §5.3). The same operation does both.</summary>
public static class FrameMask
{
    /// <summary>
    /// XORs <paramref name="data"/> in place with the mask key: byte <c>i</c> of the payload is XORed with mask byte
    /// <c>(offset + i) % 4</c> (RFC 6455 §5.3). Vectorised; no per-byte loop except for the last few bytes.
    /// </summary>
    /// <param name="data">Payload bytes to mask or unmask in place.</param>
    /// <param name="maskKey">The 4 mask bytes in wire order, read as a little-endian int (<see cref="FrameHeader.MaskKey"/>).</param>
    /// <param name="offset">
    /// How many bytes of this payload were already processed with this key, so a payload split across buffers can be
    /// unmasked piece by piece.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    public static void Apply(Span<byte> data, int maskKey, long offset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (data.IsEmpty || maskKey == 0)
        {
            return;
        }

        // Rotate so that mask byte (offset % 4) comes first; byte k of the key (little-endian) is mask byte k.
        uint key = BitOperations.RotateRight((uint)maskKey, 8 * (int)(offset & 3));

        // In memory the key must read as the mask bytes in order, whatever the machine's byte order.
        uint memoryKey = BitConverter.IsLittleEndian ? key : BinaryPrimitives.ReverseEndianness(key);
        ApplyRotated(data, memoryKey);
    }

    private static void ApplyRotated(Span<byte> data, uint memoryKey)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint i = 0;

        // Every block below is a multiple of 4 bytes long, so the key stays in phase from one block to the next.
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<byte>.Count)
        {
            Vector512<byte> mask = Vector512.Create(memoryKey).AsByte();
            nuint count = (nuint)Vector512<byte>.Count;
            for (; i + 4 * count <= length; i += 4 * count)
            {
                (Vector512.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
                (Vector512.LoadUnsafe(ref start, i + count) ^ mask).StoreUnsafe(ref start, i + count);
                (Vector512.LoadUnsafe(ref start, i + 2 * count) ^ mask).StoreUnsafe(ref start, i + 2 * count);
                (Vector512.LoadUnsafe(ref start, i + 3 * count) ^ mask).StoreUnsafe(ref start, i + 3 * count);
            }

            for (; i + count <= length; i += count)
            {
                (Vector512.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && length - i >= (nuint)Vector256<byte>.Count)
        {
            Vector256<byte> mask = Vector256.Create(memoryKey).AsByte();
            nuint count = (nuint)Vector256<byte>.Count;
            for (; i + 4 * count <= length; i += 4 * count)
            {
                (Vector256.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
                (Vector256.LoadUnsafe(ref start, i + count) ^ mask).StoreUnsafe(ref start, i + count);
                (Vector256.LoadUnsafe(ref start, i + 2 * count) ^ mask).StoreUnsafe(ref start, i + 2 * count);
                (Vector256.LoadUnsafe(ref start, i + 3 * count) ^ mask).StoreUnsafe(ref start, i + 3 * count);
            }

            for (; i + count <= length; i += count)
            {
                (Vector256.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && length - i >= (nuint)Vector128<byte>.Count)
        {
            Vector128<byte> mask = Vector128.Create(memoryKey).AsByte();
            nuint count = (nuint)Vector128<byte>.Count;
            for (; i + count <= length; i += count)
            {
                (Vector128.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
            }
        }

        ApplyScalarTail(ref start, i, length, memoryKey);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyScalarTail(ref byte start, nuint i, nuint length, uint memoryKey)
    {
        ulong wideKey = ((ulong)memoryKey << 32) | memoryKey;
        for (; i + sizeof(ulong) <= length; i += sizeof(ulong))
        {
            ref byte at = ref Unsafe.Add(ref start, i);
            Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ulong>(ref at) ^ wideKey);
        }

        if (i + sizeof(uint) <= length)
        {
            ref byte at = ref Unsafe.Add(ref start, i);
            Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<uint>(ref at) ^ memoryKey);
            i += sizeof(uint);
        }

        // At most 3 bytes left, and i is a multiple of 4 here, so they take mask bytes 0, 1, 2 in memory order.
        uint remainingKey = BitConverter.IsLittleEndian ? memoryKey : BinaryPrimitives.ReverseEndianness(memoryKey);
        for (; i < length; i++)
        {
            Unsafe.Add(ref start, i) ^= (byte)remainingKey;
            remainingKey >>= 8;
        }
    }
}
