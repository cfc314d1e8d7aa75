using System.Buffers;
using System.Text.Json;

namespace Wirehub.Realtime.Client;

/// <summary>
/// An outgoing JSON frame written into a buffer rented from <see cref="ArrayPool{T}"/>, with a per-thread reused
/// <see cref="Utf8JsonWriter"/>, so sending a request allocates no buffers of its own.
/// </summary>
internal sealed class PooledFrameBuffer : IBufferWriter<byte>, IDisposable
{
    [ThreadStatic] private static Utf8JsonWriter? s_writer;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(512);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>Writes one JSON object with <paramref name="write"/> (which writes its properties).</summary>
    public static PooledFrameBuffer WriteObject(Action<Utf8JsonWriter> write)
    {
        var frame = new PooledFrameBuffer();
        var writer = s_writer ??= new Utf8JsonWriter(frame, new JsonWriterOptions { SkipValidation = false });
        writer.Reset(frame);
        try
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
            writer.Flush();
        }
        catch
        {
            frame.Dispose();
            throw;
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
        return frame;
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
