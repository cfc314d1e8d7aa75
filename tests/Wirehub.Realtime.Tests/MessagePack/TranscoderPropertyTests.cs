using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using MessagePack;
using Wirehub.Realtime.Protocol;
using Wirehub.Realtime.Tests.MessagePack.Support;

namespace Wirehub.Realtime.Tests.MessagePack;

public class TranscoderPropertyTests
{
    private static byte[] ToMessagePack(string json)
    {
        var output = new ArrayBufferWriter<byte>();
        JsonToMessagePackTranscoder.Transcode(System.Text.Encoding.UTF8.GetBytes(json), output);
        return output.WrittenSpan.ToArray();
    }

    private static string ToJson(byte[] messagePack)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            var reader = new MessagePackReader(messagePack);
            MessagePackToJsonTranscoder.Transcode(ref reader, writer, 1);
            Assert.True(reader.End);
        }
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static bool SameValue(string expected, string actual)
    {
        using var left = JsonDocument.Parse(expected);
        using var right = JsonDocument.Parse(actual);
        return JsonElement.DeepEquals(left.RootElement, right.RootElement);
    }

    [Property(Arbitrary = [typeof(JsonTrees)], MaxTest = 300)]
    public void Json_to_MessagePack_to_Json_preserves_every_value(JsonNode? value)
    {
        // Written with the default encoder, which escapes non-ASCII and HTML characters: escapes are converted too.
        string json = value?.ToJsonString() ?? "null";

        string back = ToJson(ToMessagePack(json));

        Assert.True(SameValue(json, back), $"{json}\n→ {back}");
    }

    [Property(Arbitrary = [typeof(JsonTrees)], MaxTest = 300)]
    public void MessagePack_written_from_Json_reads_the_same_with_the_library(JsonNode? value)
    {
        string json = value?.ToJsonString() ?? "null";

        object? library = MessagePackSerializer.Deserialize<object>(ToMessagePack(json));

        AssertSame(value, library);
    }

    /// <summary>Compares a JSON value with what the library's untyped reader made of its MessagePack.</summary>
    private static void AssertSame(JsonNode? expected, object? actual)
    {
        switch (expected)
        {
            case null:
                Assert.Null(actual);
                break;
            case JsonArray array:
                var items = Assert.IsType<object?[]>(actual);
                Assert.Equal(array.Count, items.Length);
                for (int i = 0; i < items.Length; i++) AssertSame(array[i], items[i]);
                break;
            case JsonObject obj:
                var map = Assert.IsType<Dictionary<object, object?>>(actual);
                Assert.Equal(obj.Count, map.Count);
                foreach (var (key, item) in obj) AssertSame(item, map[key]);
                break;
            case JsonValue v when v.TryGetValue(out bool truth): Assert.Equal(truth, actual); break;
            case JsonValue v when v.TryGetValue(out long integer): Assert.Equal(integer, Convert.ToInt64(actual)); break;
            case JsonValue v when v.TryGetValue(out ulong unsigned): Assert.Equal(unsigned, Convert.ToUInt64(actual)); break;
            case JsonValue v when v.TryGetValue(out double real):
                // The JSON text decides: a number written without fraction or exponent is an int.
                if (v.ToJsonString().IndexOfAny(['.', 'e', 'E']) >= 0) Assert.Equal(real, Assert.IsType<double>(actual));
                else Assert.Equal(real, actual is double ? double.NaN : Convert.ToDouble(actual));
                break;
            case JsonValue v when v.TryGetValue(out string? text): Assert.Equal(text, actual); break;
            default: throw new InvalidOperationException($"No case for {expected.ToJsonString()}.");
        }
    }

    [Property(Arbitrary = [typeof(JsonTrees)], MaxTest = 300)]
    public void MessagePack_to_Json_to_MessagePack_gives_back_the_same_bytes(JsonNode? value)
    {
        // Written the library's canonical way: the smallest int form, floats as float 64.
        var written = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(written);
        Write(ref writer, value);
        writer.Flush();
        byte[] original = written.WrittenSpan.ToArray();

        byte[] back = ToMessagePack(ToJson(original));

        Assert.Equal(Convert.ToHexString(original), Convert.ToHexString(back));
    }

    private static void Write(ref MessagePackWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNil();
                break;
            case JsonArray array:
                writer.WriteArrayHeader(array.Count);
                foreach (var item in array) Write(ref writer, item);
                break;
            case JsonObject obj:
                writer.WriteMapHeader(obj.Count);
                foreach (var (key, item) in obj)
                {
                    writer.Write(key);
                    Write(ref writer, item);
                }
                break;
            case JsonValue v when v.TryGetValue(out bool truth): writer.Write(truth); break;
            case JsonValue v when v.TryGetValue(out long integer): writer.Write(integer); break;
            case JsonValue v when v.TryGetValue(out ulong unsigned): writer.Write(unsigned); break;
            case JsonValue v when v.TryGetValue(out double real): writer.Write(real); break;
            case JsonValue v when v.TryGetValue(out string? text): writer.Write(text); break;
            default: throw new InvalidOperationException($"No case for {node.ToJsonString()}.");
        }
    }
}
