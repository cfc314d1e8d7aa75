using System.Collections.Concurrent;

namespace Wirehub.Protocol;

/// <summary>The process-wide pools of zlib streams for directions without context takeover.</summary>
internal static class ZLibStreamPools
{
    // Enough for every core to be compressing at once; more would only keep idle zlib memory alive.
    private static readonly int Capacity = Math.Max(4, Environment.ProcessorCount);

    private static readonly ConcurrentDictionary<ZLibDeflaterSettings, ZLibStreamPool<ZLibDeflater>> DeflaterPools = new();

    /// <summary>Inflaters: one kind serves every agreement, see <see cref="ZLibInflater"/>.</summary>
    public static ZLibStreamPool<ZLibInflater> Inflaters { get; } =
        new(static () => new ZLibInflater(), static inflater => inflater.Reset(), Capacity);

    /// <summary>Deflaters with the given settings.</summary>
    public static ZLibStreamPool<ZLibDeflater> DeflatersFor(ZLibDeflaterSettings settings) =>
        DeflaterPools.GetOrAdd(settings, static key =>
            new ZLibStreamPool<ZLibDeflater>(() => new ZLibDeflater(key), static deflater => deflater.Reset(), Capacity));
}
