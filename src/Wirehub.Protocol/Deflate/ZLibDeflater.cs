namespace Wirehub.Protocol;

/// <summary>A raw-DEFLATE zlib compressor whose <c>z_stream</c> lives in native memory.</summary>
internal sealed unsafe class ZLibDeflater : IDisposable
{
    private ZStream* _stream;

    public ZLibDeflater(ZLibDeflaterSettings settings)
    {
        Settings = settings;
        _stream = ZLib.AllocateStream();
        int code;
        try
        {
            // A negative windowBits asks for raw DEFLATE: no zlib header or trailer (RFC 7692 §7.2.1).
            code = ZLib.DeflateInit2(_stream, settings.Level, ZLib.Deflated, -settings.WindowBits, settings.MemoryLevel,
                ZLib.DefaultStrategy, ZLib.Version(), sizeof(ZStream));
        }
        catch (DllNotFoundException missing)
        {
            Free();
            throw ZLib.Missing(missing);
        }

        if (code != ZLib.Ok)
        {
            Exception failure = ZLib.Failure("deflateInit2", code, _stream);
            Free();
            throw failure;
        }
    }

    ~ZLibDeflater() => Release();

    public ZLibDeflaterSettings Settings { get; }

    /// <summary>
    /// Compresses as much of <paramref name="input"/> as fits and flushes with Z_SYNC_FLUSH.
    /// </summary>
    /// <returns><see langword="false"/> when zlib could make no progress because there was neither input nor
    /// anything left to flush (Z_BUF_ERROR).</returns>
    public bool SyncFlush(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        int code;
        fixed (byte* inputPointer = input)
        fixed (byte* outputPointer = output)
        {
            _stream->NextIn = inputPointer;
            _stream->AvailIn = (uint)input.Length;
            _stream->NextOut = outputPointer;
            _stream->AvailOut = (uint)output.Length;
            code = ZLib.Deflate(_stream, ZLib.SyncFlush);
            consumed = input.Length - (int)_stream->AvailIn;
            written = output.Length - (int)_stream->AvailOut;
            // The buffers are only pinned for the call: leave zlib no pointer into managed memory.
            _stream->NextIn = null;
            _stream->AvailIn = 0;
            _stream->NextOut = null;
            _stream->AvailOut = 0;
        }

        return code switch
        {
            ZLib.Ok => true,
            ZLib.BufferError => false,
            _ => throw ZLib.Failure("deflate", code, _stream),
        };
    }

    /// <summary>Forgets the LZ77 window and starts a new raw stream, keeping the allocated memory.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        int code = ZLib.DeflateReset(_stream);
        if (code != ZLib.Ok)
        {
            throw ZLib.Failure("deflateReset", code, _stream);
        }
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (_stream is not null)
        {
            _ = ZLib.DeflateEnd(_stream); // Z_DATA_ERROR only reports that a stream was abandoned mid-way.
            Free();
        }
    }

    private void Free()
    {
        System.Runtime.InteropServices.NativeMemory.Free(_stream);
        _stream = null;
    }
}
