namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// Payloads built by repeating a short pattern up to a length, the way the catalogue describes its large messages
/// (e.g. "BAsd7&amp;jh23" repeated to 16 MiB), so a case can ask for any size without keeping a literal.
/// </summary>
internal static class PayloadPattern
{
    public static byte[] Repeat(ReadOnlySpan<byte> pattern, int length)
    {
        var payload = new byte[length];
        Fill(payload, pattern);
        return payload;
    }

    /// <summary>Fills <paramref name="destination"/> with <paramref name="pattern"/> repeated (and cut at the end).</summary>
    public static void Fill(Span<byte> destination, ReadOnlySpan<byte> pattern)
    {
        if (pattern.IsEmpty) throw new ArgumentException("A repeated payload needs a non-empty pattern.", nameof(pattern));
        if (destination.IsEmpty) return;
        int filled = Math.Min(pattern.Length, destination.Length);
        pattern[..filled].CopyTo(destination);
        // Doubling copies keep this fast for the multi-megabyte section 9 messages; the copied prefix is always
        // a whole number of patterns, so the repetition stays in phase.
        while (filled < destination.Length)
        {
            int chunk = Math.Min(filled, destination.Length - filled);
            destination[..chunk].CopyTo(destination[filled..]);
            filled += chunk;
        }
    }
}
