using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Wirehub.Protocol;

/// <summary>
/// Makes mask keys for client frames. RFC 6455 §5.3 and §10.3 require each key to be fresh and unpredictable, so keys
/// come from <see cref="RandomNumberGenerator"/>; they are drawn in batches per thread so most keys cost no system call.
/// </summary>
public static class MaskKeyGenerator
{
    private const int KeysPerBatch = 64;

    [ThreadStatic]
    private static int[]? t_keys;

    [ThreadStatic]
    private static int t_next;

    /// <summary>Returns a new cryptographically random mask key. Thread-safe; does not allocate after a thread's first call.</summary>
    /// <returns>The 4 mask bytes as a little-endian int, as <see cref="FrameHeader.MaskKey"/> expects.</returns>
    public static int Next()
    {
        int[]? keys = t_keys;
        int next = t_next;
        if (keys is null || next >= keys.Length)
        {
            keys = Refill();
            next = 0;
        }

        t_next = next + 1;
        return keys[next];
    }

    private static int[] Refill()
    {
        int[] keys = t_keys ??= new int[KeysPerBatch];
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(keys.AsSpan()));
        t_next = 0;
        return keys;
    }
}
