namespace Wirehub.Protocol;

/// <summary>What a zlib deflater is created with; deflaters with equal settings are interchangeable in a pool.</summary>
internal readonly record struct ZLibDeflaterSettings
{
    /// <param name="agreedWindowBits">The window size agreed for this sending direction, 8..15.</param>
    /// <param name="level">zlib level, 0..9.</param>
    /// <param name="memoryLevel">zlib memLevel, 1..9.</param>
    public ZLibDeflaterSettings(int agreedWindowBits, int level, int memoryLevel)
    {
        // zlib refuses a raw deflater with an 8-bit window. Its 9-bit window never emits a distance beyond
        // MAX_DIST = 512 - 262 = 250 bytes, inside the 256 bytes that 8 bits allow, so it is a valid 8-bit sender.
        WindowBits = Math.Max(9, agreedWindowBits);
        Level = level;
        MemoryLevel = memoryLevel;
    }

    /// <summary>The window size zlib is given, 9..15.</summary>
    public int WindowBits { get; }

    public int Level { get; }

    public int MemoryLevel { get; }
}
