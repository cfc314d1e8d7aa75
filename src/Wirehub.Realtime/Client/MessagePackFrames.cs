using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using Wirehub.Realtime.Protocol;

namespace Wirehub.Realtime.Client;

/// <summary>
/// The SDK's side of <c>wirehub.v1.msgpack</c>: requests are written as JSON, like on a <c>wirehub.v1</c> connection,
/// and converted to the MessagePack map with the same keys; server frames are converted to JSON before they are read,
/// so both encodings share one reader and the application sees the same <see cref="JsonElement"/> data.
/// </summary>
internal static class MessagePackFrames
{
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    // Read back at once by the client itself; nothing of it is embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The binary frame of a JSON frame; <paramref name="json"/> is returned to its pool.</summary>
    public static PooledFrameBuffer FromJson(PooledFrameBuffer json)
    {
        using (json)
        {
            var binary = new PooledFrameBuffer();
            JsonToMessagePackTranscoder.Transcode(json.WrittenMemory.Span, binary);
            return binary;
        }
    }

    /// <summary>
    /// Writes a server's binary frame as JSON to <paramref name="json"/>; false when it is not one MessagePack value
    /// that JSON can carry (nothing in it could be acted on).
    /// </summary>
    public static bool TryToJson(ReadOnlySequence<byte> frame, IBufferWriter<byte> json)
    {
        var writer = t_writer ??= new Utf8JsonWriter(json, WriterOptions);
        writer.Reset(json);
        try
        {
            var reader = new MessagePackReader(frame);
            MessagePackToJsonTranscoder.Transcode(ref reader, writer, 1);
            writer.Flush();
            return reader.End;
        }
        catch (Exception ex) when (ex is ProtocolError or EndOfStreamException or MessagePackSerializationException or OverflowException)
        {
            return false;
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }
}
