using System.Buffers;

namespace Wirehub.Protocol;

/// <summary>
/// A raw-DEFLATE zlib decompressor whose <c>z_stream</c> lives in native memory. Connections always use a 15-bit
/// window: that inflates data compressed with any smaller window, so one kind of inflater serves every agreement.
/// </summary>
internal sealed unsafe class ZLibInflater : IDisposable
{
    public const int WindowBits = 15;

    private ZStream* _stream;

    /// <param name="windowBits">The window size, 8..15. Connections use 15; a smaller one checks that a sender kept to
    /// an agreed window.</param>
    public ZLibInflater(int windowBits = WindowBits)
    {
        _stream = ZLib.AllocateStream();
        int code;
        try
        {
            code = ZLib.InflateInit2(_stream, -windowBits, ZLib.Version(), sizeof(ZStream));
        }
        catch (DllNotFoundException missing)
        {
            Free();
            throw ZLib.Missing(missing);
        }

        if (code != ZLib.Ok)
        {
            Exception failure = ZLib.Failure("inflateInit2", code, _stream);
            Free();
            throw failure;
        }
    }

    ~ZLibInflater() => Release();

    /// <summary>Inflates from <paramref name="input"/> into <paramref name="output"/> as far as both allow.</summary>
    /// <returns>zlib's code: <see cref="ZLib.Ok"/>, <see cref="ZLib.StreamEnd"/> (a block with BFINAL set ended the
    /// stream), <see cref="ZLib.BufferError"/> (no progress possible) or <see cref="ZLib.DataError"/>.</returns>
    public int Inflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int written)
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
            code = ZLib.Inflate(_stream, ZLib.SyncFlush);
            consumed = input.Length - (int)_stream->AvailIn;
            written = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->AvailIn = 0;
            _stream->NextOut = null;
            _stream->AvailOut = 0;
        }

        return code switch
        {
            ZLib.Ok or ZLib.StreamEnd or ZLib.BufferError or ZLib.DataError => code,
            ZLib.NeedDictionary => ZLib.DataError, // raw DEFLATE has no dictionary id: the data is not DEFLATE
            _ => throw ZLib.Failure("inflate", code, _stream),
        };
    }

    /// <summary>Forgets the LZ77 window and any partial block, keeping the allocated memory.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        int code = ZLib.InflateReset(_stream);
        if (code != ZLib.Ok)
        {
            throw ZLib.Failure("inflateReset", code, _stream);
        }
    }

    /// <summary>
    /// Starts a new raw stream after one ended with a BFINAL block, keeping the LZ77 window so a peer using context
    /// takeover can still refer to earlier messages (RFC 7692 §7.2.3.4 allows BFINAL blocks).
    /// </summary>
    public void RestartKeepingWindow()
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        byte[] window = ArrayPool<byte>.Shared.Rent(1 << WindowBits); // large enough for any window
        try
        {
            fixed (byte* windowPointer = window)
            {
                uint length = 0;
                int code = ZLib.InflateGetDictionary(_stream, windowPointer, &length);
                if (code != ZLib.Ok)
                {
                    throw ZLib.Failure("inflateGetDictionary", code, _stream);
                }

                Reset();
                code = ZLib.InflateSetDictionary(_stream, windowPointer, length);
                if (code != ZLib.Ok)
                {
                    throw ZLib.Failure("inflateSetDictionary", code, _stream);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
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
            _ = ZLib.InflateEnd(_stream);
            Free();
        }
    }

    private void Free()
    {
        System.Runtime.InteropServices.NativeMemory.Free(_stream);
        _stream = null;
    }
}
