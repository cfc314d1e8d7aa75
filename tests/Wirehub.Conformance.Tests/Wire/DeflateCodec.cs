using System.IO.Compression;

namespace Wirehub.Conformance.Tests.Wire;

/// <summary>
/// Compresses outgoing and inflates incoming permessage-deflate messages (RFC 7692 §7.2) with
/// System.IO.Compression, independently of the code under test. DeflateStream.Flush() is a Z_SYNC_FLUSH, which ends
/// the output with 00 00 FF FF; that tail is removed before sending and appended again before inflating.
/// DeflateStream cannot shrink its LZ77 window, so when the peer allows less than 15 bits the codec writes
/// stored (uncompressed) blocks, which are valid under every window size; inflating always uses the full 15-bit
/// window, which decodes data written with any smaller one.
/// </summary>
internal sealed class DeflateCodec : IDisposable
{
    private static readonly byte[] SyncFlushTail = [0x00, 0x00, 0xFF, 0xFF];

    private readonly bool _compressWithoutContextTakeover;
    private readonly bool _peerResetsContext;
    private readonly CompressionLevel _level;
    private readonly MemoryStream _compressed = new();
    private readonly FeedStream _input = new();
    private DeflateStream? _deflater;
    private DeflateStream? _inflater;

    public DeflateCodec(bool compressWithoutContextTakeover, int compressWindowBits, bool peerResetsContext)
    {
        _compressWithoutContextTakeover = compressWithoutContextTakeover;
        _peerResetsContext = peerResetsContext;
        CompressWindowBits = compressWindowBits;
        _level = compressWindowBits < 15 ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
    }

    public int CompressWindowBits { get; }

    /// <summary>Compresses one whole message; the result is the payload of a frame with RSV1 set.</summary>
    public byte[] Compress(ReadOnlySpan<byte> message)
    {
        if (_compressWithoutContextTakeover || _deflater is null)
        {
            _deflater?.Dispose();
            _deflater = new DeflateStream(_compressed, _level, leaveOpen: true);
        }
        _compressed.SetLength(0);
        _deflater.Write(message);
        _deflater.Flush();
        var output = _compressed.GetBuffer().AsSpan(0, (int)_compressed.Length);
        // An empty message produces no output at all; one empty stored-block header byte is the usual encoding.
        if (output.IsEmpty) return [0x00];
        if (!output.EndsWith(SyncFlushTail))
            throw new InvalidOperationException("DeflateStream.Flush() did not end with 00 00 FF FF; the sync flush cannot be stripped.");
        return output[..^SyncFlushTail.Length].ToArray();
    }

    /// <summary>Inflates one whole message payload; throws <see cref="InvalidDataException"/> for corrupt data.</summary>
    public byte[] Decompress(ReadOnlySpan<byte> payload)
    {
        if (_peerResetsContext || _inflater is null)
        {
            _inflater?.Dispose();
            _inflater = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
        }
        _input.Feed(payload.ToArray());
        _input.Feed(SyncFlushTail);
        using var output = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = _inflater.Read(buffer)) > 0) output.Write(buffer, 0, read);
        return output.ToArray();
    }

    public string Describe() =>
        $"compress: window {CompressWindowBits} bits{(CompressWindowBits < 15 ? " (stored blocks)" : "")}, " +
        $"{(_compressWithoutContextTakeover ? "no " : "")}context takeover; peer {(_peerResetsContext ? "resets" : "keeps")} its context";

    public void Dispose()
    {
        _deflater?.Dispose();
        _inflater?.Dispose();
        _compressed.Dispose();
    }

    /// <summary>A read-only stream that hands out queued chunks and reports "no data yet" (0) when empty.</summary>
    private sealed class FeedStream : Stream
    {
        private readonly Queue<byte[]> _chunks = new();
        private int _offset;

        public void Feed(byte[] chunk) => _chunks.Enqueue(chunk);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_chunks.Count > 0 && _offset >= _chunks.Peek().Length)
            {
                _chunks.Dequeue();
                _offset = 0;
            }
            if (_chunks.Count == 0) return 0;
            var head = _chunks.Peek();
            int n = Math.Min(buffer.Length, head.Length - _offset);
            head.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
