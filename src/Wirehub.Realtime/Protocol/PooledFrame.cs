using System.Buffers;

namespace Wirehub.Realtime.Protocol;

/// <summary>A server frame encoded into a pooled array; <see cref="Dispose"/> returns the array.</summary>
internal readonly struct PooledFrame(byte[] buffer, int length) : IDisposable
{
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
