using System.Buffers;

namespace Wirehub.Protocol.Tests.Handshake;

/// <summary>Splits bytes into a chain of segments, the shape a response takes when it arrives in several reads.</summary>
internal sealed class MultiSegmentSequence : ReadOnlySequenceSegment<byte>
{
    private MultiSegmentSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Cuts <paramref name="data"/> at the given positions (any order, duplicates give empty segments).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, IEnumerable<int> positions)
    {
        var start = 0;
        var first = new MultiSegmentSequence(ReadOnlyMemory<byte>.Empty, 0);
        var last = first;
        foreach (var position in positions.Order().Append(data.Length))
        {
            var next = new MultiSegmentSequence(data.AsMemory(start..position), start);
            last.Next = next;
            last = next;
            start = position;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
