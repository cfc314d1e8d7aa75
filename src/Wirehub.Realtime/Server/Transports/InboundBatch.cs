using System.Buffers;

namespace Wirehub.Realtime.Server.Transports;

/// <summary>
/// The body of one upstream POST: <c>wirehub.v1</c> frames separated by <c>\n</c>, in a pooled buffer, read line by line
/// by the session. <see cref="Handled"/> completes once the session has handled them all (true) or ended before
/// reading them (false), so the POST is answered after its frames took effect.
/// </summary>
internal sealed class InboundBatch(byte[] buffer, int length)
{
    private readonly TaskCompletionSource<bool> _handled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _offset;

    public Task<bool> Handled => _handled.Task;

    /// <summary>Bytes of the body.</summary>
    public int Length => length;

    /// <summary>The next non-empty line (a trailing <c>\r</c> removed); valid until <see cref="Complete"/>.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        while (_offset < length)
        {
            var rest = buffer.AsSpan(_offset, length - _offset);
            int end = rest.IndexOf((byte)'\n');
            int lineLength = end < 0 ? rest.Length : end;
            int start = _offset;
            _offset += end < 0 ? rest.Length : end + 1;
            if (lineLength > 0 && buffer[start + lineLength - 1] == '\r') lineLength--;
            
            if (lineLength == 0) continue;
            line = buffer.AsMemory(start, lineLength);
            return true;
        }
        line = default;
        return false;
    }

    /// <summary>Answers the POST and returns the buffer; later calls do nothing.</summary>
    public void Complete(bool handled)
    {
        if (_handled.TrySetResult(handled)) ArrayPool<byte>.Shared.Return(buffer);
    }
}
