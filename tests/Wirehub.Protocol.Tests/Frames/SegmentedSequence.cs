using System.Buffers;

namespace Wirehub.Protocol.Tests.Frames;

/// <summary>Builds multi-segment sequences, the shape received data takes when it spans pipe buffers.</summary>
internal sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
{
    private SegmentedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(params byte[][] segments)
    {
        if (segments.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new SegmentedSequence(segments[0], 0);
        SegmentedSequence last = first;
        for (int i = 1; i < segments.Length; i++)
        {
            var next = new SegmentedSequence(segments[i], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits data at the given positions (sorted, duplicates allowed) into segments, keeping empty ones.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, IEnumerable<int> positions)
    {
        var segments = new List<byte[]>();
        int start = 0;
        foreach (int position in positions.Order())
        {
            segments.Add(data[start..position]);
            start = position;
        }

        segments.Add(data[start..]);
        return Create([.. segments]);
    }
}
