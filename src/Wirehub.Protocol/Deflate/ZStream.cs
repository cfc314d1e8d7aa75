using System.Runtime.InteropServices;

namespace Wirehub.Protocol;

/// <summary>
/// zlib's <c>z_stream</c>, field for field. <c>uLong</c> is <see cref="CULong"/> so the layout matches the platform's C
/// <c>long</c>. zlib keeps a pointer back to this struct, so it must live in native memory, never on the managed heap.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public uint AvailIn;
    public CULong TotalIn;
    public byte* NextOut;
    public uint AvailOut;
    public CULong TotalOut;
    public sbyte* Message;
    public nint State;
    public nint ZAlloc;
    public nint ZFree;
    public nint Opaque;
    public int DataType;
    public CULong Adler;
    public CULong Reserved;
}
