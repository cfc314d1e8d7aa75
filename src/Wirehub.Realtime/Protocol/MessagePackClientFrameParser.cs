using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// Parses a client's binary frame on a <c>wirehub.v1.msgpack</c> connection: one MessagePack map with the keys and
/// meaning of the JSON frame. The map is converted to the JSON frame it stands for and read by
/// <see cref="ClientFrameParser"/>, so both encodings obey one set of rules and get the same errors, and <c>data</c>
/// comes out as JSON, converted once, as the broker stores it. The <c>data</c> limit counts its MessagePack bytes as sent.
/// </summary>
internal static class MessagePackClientFrameParser
{
    // Longer than any key of a client frame ("direction", "messageId", ...): a longer key is an unknown field.
    private const int MaxKnownKeyLength = 32;

    [ThreadStatic] private static PooledBufferWriter? t_json;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static byte[]? t_key;

    // The frame is read back by ClientFrameParser at once; nothing of it is embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static ClientFrame Parse(ReadOnlySequence<byte> payload, int maxDataSize, out long? id)
    {
        id = null;
        var json = t_json ??= new PooledBufferWriter();
        json.Reset();
        var writer = t_writer ??= new Utf8JsonWriter(json, WriterOptions);
        writer.Reset(json);
        ProtocolError? dataProblem = null;
        long dataSize = 0;
        try
        {
            var reader = new MessagePackReader(payload);
            if (reader.NextMessagePackType != MessagePackType.Map)
                throw new ProtocolError(ErrorCode.BadRequest, "A frame must be one MessagePack map with a \"type\" key.");
            int entries = reader.ReadMapHeader();
            writer.WriteStartObject();
            var keyBuffer = t_key ??= new byte[MaxKnownKeyLength];
            for (int i = 0; i < entries; i++)
            {
                int keyLength = ReadKey(ref reader, keyBuffer);
                var key = keyBuffer.AsSpan(0, Math.Max(keyLength, 0));
                if (keyLength < 0)
                {
                    // Not a key any frame has (not str, or too long to be one): ignored like any unknown field.
                    MessagePackToJsonTranscoder.Skip(ref reader, 2);
                    continue;
                }
                var value = reader;
                long start = reader.Consumed;
                ProtocolError? problem = null;
                try
                {
                    MessagePackToJsonTranscoder.Transcode(ref reader, null, 2);
                }
                catch (ProtocolError error)
                {
                    problem = error;
                    reader = value;
                    MessagePackToJsonTranscoder.Skip(ref reader, 2);
                }
                if (key.SequenceEqual("id"u8) && problem is null && PositiveInteger(value) is { } number) id = number;
                writer.WritePropertyName(key);
                if (key.SequenceEqual("data"u8))
                {
                    dataSize = reader.Consumed - start;
                    if (problem is null && dataSize <= maxDataSize) MessagePackToJsonTranscoder.Transcode(ref value, writer, 2);
                    else
                    {
                        // Reported once the frame's other fields are known, as for a JSON frame.
                        dataProblem = problem;
                        writer.WriteNullValue();
                    }
                }
                else if (problem is null)
                {
                    MessagePackToJsonTranscoder.Transcode(ref value, writer, 2);
                }
                else
                {
                    // A field JSON cannot carry stands in as an empty object: a field the protocol reads then reports
                    // its type ("must be a string"), an unknown one is ignored.
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
            }
            writer.WriteEndObject();
            if (!reader.End)
                throw new ProtocolError(ErrorCode.BadRequest, "The binary frame holds more than one MessagePack value: send exactly one map per frame.");
        }
        catch (Exception ex) when (ex is EndOfStreamException or MessagePackSerializationException or OverflowException)
        {
            throw new ProtocolError(ErrorCode.BadRequest, "The frame is not valid MessagePack: send one MessagePack map per binary frame.");
        }
        writer.Flush();
        var frame = ClientFrameParser.Parse(json.WrittenSpan, int.MaxValue, out id);
        if (dataProblem is not null) throw dataProblem;
        if (dataSize > maxDataSize)
            throw new ProtocolError(ErrorCode.TooLarge, $"\"data\" is {dataSize} bytes; at most {maxDataSize} are allowed.");
        return frame;
    }

    /// <summary>Whether the frame is a map whose <c>type</c> is <c>connect</c>, however malformed the rest.</summary>
    public static bool LooksLikeConnect(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            if (reader.NextMessagePackType != MessagePackType.Map) return false;
            int entries = reader.ReadMapHeader();
            var keyBuffer = t_key ??= new byte[MaxKnownKeyLength];
            for (int i = 0; i < entries; i++)
            {
                int keyLength = ReadKey(ref reader, keyBuffer);
                if (keyBuffer.AsSpan(0, Math.Max(keyLength, 0)).SequenceEqual("type"u8))
                {
                    int typeLength = ReadKey(ref reader, keyBuffer);
                    return keyBuffer.AsSpan(0, Math.Max(typeLength, 0)).SequenceEqual("connect"u8);
                }
                MessagePackToJsonTranscoder.Skip(ref reader, 2);
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or MessagePackSerializationException or OverflowException or ProtocolError)
        {
        }
        return false;
    }

    /// <summary>
    /// Reads the next value as a short UTF-8 str into <paramref name="buffer"/> and returns its length; -1, having read
    /// past it, when it is anything else.
    /// </summary>
    private static int ReadKey(ref MessagePackReader reader, byte[] buffer)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            MessagePackToJsonTranscoder.Skip(ref reader, 2);
            return -1;
        }
        var sequence = reader.ReadStringSequence()!.Value;
        if (sequence.Length > buffer.Length) return -1;
        sequence.CopyTo(buffer);
        int length = (int)sequence.Length;
        return System.Text.Unicode.Utf8.IsValid(buffer.AsSpan(0, length)) ? length : -1;
    }

    private static long? PositiveInteger(MessagePackReader value)
    {
        if (value.NextMessagePackType != MessagePackType.Integer || value.NextCode == MessagePackCode.UInt64) return null;
        long number = value.ReadInt64();
        return number > 0 ? number : null;
    }
}
