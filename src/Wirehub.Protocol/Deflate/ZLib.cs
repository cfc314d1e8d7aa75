using System.Runtime.InteropServices;

namespace Wirehub.Protocol;

/// <summary>
/// The system zlib (<c>libz.so.1</c>, Debian package zlib1g), reached through source-generated, blittable P/Invoke.
/// System.IO.Compression cannot choose the LZ77 window size that RFC 7692 §7.1.2 negotiates, so it cannot be used.
/// </summary>
internal static unsafe partial class ZLib
{
    private const string Library = "libz.so.1";

    public const int NoFlush = 0;
    public const int SyncFlush = 2;

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDictionary = 2;
    public const int StreamError = -2;
    public const int DataError = -3;
    public const int MemoryError = -4;
    public const int BufferError = -5;
    public const int VersionError = -6;

    public const int Deflated = 8;
    public const int DefaultStrategy = 0;

    [LibraryImport(Library, EntryPoint = "zlibVersion")]
    public static partial byte* Version();

    [LibraryImport(Library, EntryPoint = "deflateInit2_")]
    public static partial int DeflateInit2(ZStream* stream, int level, int method, int windowBits, int memoryLevel,
        int strategy, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "deflate")]
    public static partial int Deflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "deflateReset")]
    public static partial int DeflateReset(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "deflateEnd")]
    public static partial int DeflateEnd(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "inflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    public static partial int InflateReset(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "inflateGetDictionary")]
    public static partial int InflateGetDictionary(ZStream* stream, byte* dictionary, uint* length);

    [LibraryImport(Library, EntryPoint = "inflateSetDictionary")]
    public static partial int InflateSetDictionary(ZStream* stream, byte* dictionary, uint length);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    /// <summary>Allocates a zeroed <c>z_stream</c> in native memory (zalloc/zfree null: zlib uses malloc).</summary>
    public static ZStream* AllocateStream() => (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));

    /// <summary>Throws for a zlib return code that means a broken stream or no memory.</summary>
    public static Exception Failure(string function, int code, ZStream* stream)
    {
        string? detail = stream is not null && stream->Message is not null ? new string(stream->Message) : null;
        string message = $"zlib {function} failed with code {code}{(detail is null ? "" : $" ({detail})")}.";
        return code == MemoryError
            ? new OutOfMemoryException(message + " Lower MemoryLevel or the window sizes, or free memory.")
            : new InvalidOperationException(message + " The compression state is unusable; close the connection.");
    }

    /// <summary>Turns a missing zlib into an exception that says how to get it.</summary>
    public static DllNotFoundException Missing(DllNotFoundException cause) => new(
        "permessage-deflate needs the system zlib (libz.so.1, Debian package zlib1g). Install it, or turn " +
        "compression off so permessage-deflate is not negotiated.", cause);
}
