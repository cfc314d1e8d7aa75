using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace Wirehub.Realtime.Protocol;

/// <summary>
/// Converts one JSON value to MessagePack (PROTOCOL.md, "Binary encoding"): an object becomes a map with str keys, an
/// array an array, a string a str, true/false/null a bool/nil. A number written without fraction or exponent that fits
/// 64 bits becomes an int; any other number a float 64 (the nearest one; beyond its range, the largest finite one of
/// that sign). Two passes over the JSON and no recursion: MessagePack writes a container's entry count before its
/// entries, so the first pass counts them.
/// </summary>
internal static class JsonToMessagePackTranscoder
{
    // Deeper than any frame needs: data holds at most 64 levels and a history answer wraps it in three more.
    private const int MaxDepth = 256;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Writes <paramref name="json"/>, one valid JSON value, to <paramref name="output"/> as MessagePack.</summary>
    public static void Transcode(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        // One count per container: no more than the brackets that open one (some may sit inside strings).
        int[] counts = ArrayPool<int>.Shared.Rent(json.Count((byte)'{') + json.Count((byte)'[') + 1);
        try
        {
            CountEntries(json, counts);
            var writer = new MessagePackWriter(output);
            var reader = new Utf8JsonReader(json, ReaderOptions);
            int container = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteMapHeader(counts[container++]); break;
                    case JsonTokenType.StartArray: writer.WriteArrayHeader(counts[container++]); break;
                    case JsonTokenType.PropertyName:
                    case JsonTokenType.String: WriteString(ref writer, ref reader); break;
                    case JsonTokenType.Number: WriteNumber(ref writer, ref reader); break;
                    case JsonTokenType.True: writer.Write(true); break;
                    case JsonTokenType.False: writer.Write(false); break;
                    case JsonTokenType.Null: writer.WriteNil(); break;
                }
            }
            writer.Flush();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Counts the entries of each container, numbered in the order they open.</summary>
    private static void CountEntries(ReadOnlySpan<byte> json, Span<int> counts)
    {
        Span<int> open = stackalloc int[MaxDepth + 1];
        var reader = new Utf8JsonReader(json, ReaderOptions);
        int depth = 0, next = 0;
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token == JsonTokenType.PropertyName) continue; // the value that follows is the entry
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                depth--;
                continue;
            }
            if (depth > 0) counts[open[depth - 1]]++;
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                counts[next] = 0;
                open[depth++] = next++;
            }
        }
    }

    private static void WriteString(ref MessagePackWriter writer, ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            writer.WriteString(raw);
            return;
        }
        // Pooled rather than on the stack: the writer's API cannot promise not to keep the span.
        byte[] text = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            writer.WriteString(text.AsSpan(0, JsonStringUnescaper.Unescape(raw, text)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            if (reader.TryGetInt64(out long integer))
            {
                writer.Write(integer);
                return;
            }
            if (reader.TryGetUInt64(out ulong unsigned))
            {
                writer.Write(unsigned);
                return;
            }
        }
        bool negative = raw[0] == (byte)'-';
        if (!reader.TryGetDouble(out double value) || !double.IsFinite(value)) value = negative ? double.MinValue : double.MaxValue;
        writer.Write(value);
    }
}
