using System.Diagnostics;
using System.Numerics;

namespace Wirehub.Cli.Bench;

/// <summary>
/// A log-linear histogram of durations in <see cref="Stopwatch"/> ticks, in the manner of HdrHistogram: exact below
/// 256 ticks, then 128 buckets per power of two, so any reported value is within 0.8% of a recorded one. Recording is
/// a few interlocked adds, safe from any thread, and never allocates.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int LinearCount = 256;
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int LinearBits = 8;

    // 2^41 ticks is over half an hour at 1 ns per tick; longer values are clamped to it.
    private const int TopBit = 40;
    private const long MaxTrackable = (1L << (TopBit + 1)) - 1;

    /// <summary>How many buckets there are; bucket <c>i</c> holds the values <see cref="IndexOf"/> maps to <c>i</c>.</summary>
    internal const int BucketCount = LinearCount + (TopBit - LinearBits + 1) * SubBucketCount;

    private readonly long[] _counts = new long[BucketCount];
    private long _total;
    private long _sum;
    private long _max;

    /// <summary>How many values were recorded.</summary>
    public long Count => Volatile.Read(ref _total);

    /// <summary>Records one duration; negative values count as 0.</summary>
    public void Record(long ticks)
    {
        long value = Math.Clamp(ticks, 0, MaxTrackable);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, value);
        RaiseMax(value);
    }

    /// <summary>
    /// The smallest bucket bound at or below which <paramref name="percentile"/> % of the values lie, in ticks;
    /// reported as the highest value its bucket stands for, so it errs high, never low. 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = RankOf(percentile, total);
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(HighestValueIn(i), Max);
            }
        }

        return Max;
    }

    /// <summary>
    /// The percentile of a set of bucket counts, such as the difference of two snapshots: the highest value of the
    /// bucket holding the value of that rank, in ticks; 0 when the counts are all zero.
    /// </summary>
    public static long ValueAtPercentile(ReadOnlySpan<long> counts, double percentile)
    {
        long total = 0;
        foreach (long count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        long rank = RankOf(percentile, total);
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return HighestValueIn(i);
            }
        }

        return HighestValueIn(counts.Length - 1);
    }

    /// <summary>
    /// Copies the bucket counts into <paramref name="destination"/> (<see cref="BucketCount"/> long): a snapshot taken
    /// while other threads record, each bucket read once, so the hot path is never stopped for it.
    /// </summary>
    internal void CopyCountsTo(Span<long> destination)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            destination[i] = Volatile.Read(ref _counts[i]);
        }
    }

    /// <summary>Adds the bucket counts to <paramref name="destination"/>, to snapshot several histograms as one.</summary>
    internal void AddCountsTo(Span<long> destination)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            destination[i] += Volatile.Read(ref _counts[i]);
        }
    }

    /// <summary>Adds every value recorded in <paramref name="other"/>, as if it had been recorded here too.</summary>
    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            long count = Volatile.Read(ref other._counts[i]);
            if (count != 0)
            {
                Interlocked.Add(ref _counts[i], count);
            }
        }

        Interlocked.Add(ref _total, other.Count);
        Interlocked.Add(ref _sum, Volatile.Read(ref other._sum));
        RaiseMax(other.Max);
    }

    /// <summary>The largest value recorded, in ticks.</summary>
    public long Max => Volatile.Read(ref _max);

    /// <summary>The mean of the recorded values, in ticks.</summary>
    public double Mean => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    /// <summary>Converts ticks to milliseconds for reports.</summary>
    public static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Converts ticks to milliseconds for reports.</summary>
    public static double ToMilliseconds(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>The lowest value bucket <paramref name="index"/> stands for, in ticks.</summary>
    internal static long LowestValueIn(int index) => index == 0 ? 0 : HighestValueIn(index - 1) + 1;

    // The rank of the value at a percentile: the smallest n with n / total >= percentile / 100, at least 1. Decimal,
    // so that 99.9 % of 1000 values is rank 999 and not 1000 through a binary rounding error.
    private static long RankOf(double percentile, long total) =>
        Math.Clamp((long)Math.Ceiling((decimal)Math.Clamp(percentile, 0, 100) * total / 100m), 1, total);

    private void RaiseMax(long value)
    {
        long max = Volatile.Read(ref _max);
        while (value > max)
        {
            long seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearCount)
        {
            return (int)value;
        }

        int topBit = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = topBit - SubBucketBits;
        int subBucket = (int)(value >> shift) - SubBucketCount;
        return LinearCount + (topBit - LinearBits) * SubBucketCount + subBucket;
    }

    internal static long HighestValueIn(int index)
    {
        if (index < LinearCount)
        {
            return index;
        }

        int offset = index - LinearCount;
        int topBit = LinearBits + offset / SubBucketCount;
        int shift = topBit - SubBucketBits;
        long lowest = (long)(SubBucketCount + offset % SubBucketCount) << shift;
        return lowest + (1L << shift) - 1;
    }
}
