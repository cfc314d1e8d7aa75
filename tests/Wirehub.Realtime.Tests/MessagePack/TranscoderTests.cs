using System.Buffers;
using System.Text;
using System.Text.Json;
using MessagePack;
using Wirehub.Realtime.Protocol;

namespace Wirehub.Realtime.Tests.MessagePack;

/// <summary>The value mapping of PROTOCOL.md, "Binary encoding (wirehub.v1.msgpack)", "Values".</summary>
public class TranscoderTests
{
    private delegate void Writing(ref MessagePackWriter writer);

    private static byte[] Pack(Writing write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        write(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static byte[] ToMessagePack(string json)
    {
        var output = new ArrayBufferWriter<byte>();
        JsonToMessagePackTranscoder.Transcode(Encoding.UTF8.GetBytes(json), output);
        return output.WrittenSpan.ToArray();
    }

    private static string ToJson(ReadOnlySequence<byte> messagePack)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            var reader = new MessagePackReader(messagePack);
            MessagePackToJsonTranscoder.Transcode(ref reader, writer, 1);
        }
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string ToJson(byte[] messagePack) => ToJson(new ReadOnlySequence<byte>(messagePack));

    private static ProtocolError Refused(byte[] messagePack) => Assert.Throws<ProtocolError>(() => ToJson(messagePack));

    [Fact]
    public void Json_integer_becomes_the_smallest_int()
    {
        Assert.Equal("2a", Convert.ToHexString(ToMessagePack("42")).ToLowerInvariant());
        Assert.Equal("d1fc18", Convert.ToHexString(ToMessagePack("-1000")).ToLowerInvariant());
    }

    [Fact]
    public void Json_integer_above_int64_becomes_uint64_and_comes_back_exactly()
    {
        byte[] packed = ToMessagePack("18446744073709551615");

        Assert.Equal(MessagePackCode.UInt64, packed[0]);
        Assert.Equal("18446744073709551615", ToJson(packed));
    }

    [Fact]
    public void Json_number_with_a_fraction_becomes_float64_even_when_whole()
    {
        byte[] packed = ToMessagePack("1.0");

        Assert.Equal(MessagePackCode.Float64, packed[0]);
        Assert.Equal(1.0, new MessagePackReader(packed).ReadDouble());
    }

    [Fact]
    public void Json_integer_beyond_64_bits_becomes_the_nearest_float64()
    {
        var reader = new MessagePackReader(ToMessagePack("123456789012345678901234567890"));

        Assert.Equal(MessagePackCode.Float64, reader.NextCode);
        Assert.Equal(1.2345678901234568E+29, reader.ReadDouble());
    }

    [Fact]
    public void Json_number_beyond_the_float64_range_becomes_the_largest_finite_float64_of_its_sign()
    {
        Assert.Equal(double.MaxValue, new MessagePackReader(ToMessagePack("1e400")).ReadDouble());
        Assert.Equal(double.MinValue, new MessagePackReader(ToMessagePack("-1e400")).ReadDouble());
    }

    [Fact]
    public void Float64_stays_a_float_through_Json_even_when_whole()
    {
        byte[] packed = Pack((ref MessagePackWriter w) => w.Write(1.0));

        string json = ToJson(packed);

        Assert.Equal("1.0", json);
        Assert.Equal(Convert.ToHexString(packed), Convert.ToHexString(ToMessagePack(json)));
    }

    [Fact]
    public void Float32_becomes_its_shortest_decimal()
    {
        Assert.Equal("0.1", ToJson(Pack((ref MessagePackWriter w) => w.Write(0.1f))));
    }

    [Fact]
    public void Escaped_Json_characters_become_their_UTF8_text()
    {
        byte[] packed = ToMessagePack("\"a\\n\\u00e9\\ud83d\\ude00\\\"\\\\\\/\"");

        Assert.Equal("a\né😀\"\\/", new MessagePackReader(packed).ReadString());
    }

    [Fact]
    public void Escaped_lone_surrogate_becomes_the_replacement_character()
    {
        byte[] packed = ToMessagePack("[\"x\\ud800y\", \"\\udc00\"]");

        var reader = new MessagePackReader(packed);
        Assert.Equal(2, reader.ReadArrayHeader());
        Assert.Equal("x\uFFFDy", reader.ReadString());
        Assert.Equal("\uFFFD", reader.ReadString());
    }

    [Fact]
    public void Object_becomes_a_map_with_its_entries_counted()
    {
        byte[] packed = ToMessagePack("{\"a\":[1,{\"b\":null},[]],\"c\":{}}");

        Assert.Equal("82a161930181a162c090a16380", Convert.ToHexString(packed).ToLowerInvariant());
    }

    [Fact]
    public void Str_split_across_buffer_segments_converts_whole()
    {
        byte[] packed = Pack((ref MessagePackWriter w) => w.Write(new string('é', 200)));
        var first = new Segment(packed.AsMemory(0, 50));
        var last = first.Append(packed.AsMemory(50));

        string json = ToJson(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        Assert.Equal(new string('é', 200), JsonSerializer.Deserialize<string>(json));
    }

    [Fact]
    public void Bin_is_refused_with_400()
    {
        var error = Refused(Pack((ref MessagePackWriter w) => w.Write(new byte[] { 1, 2, 3 })));

        Assert.Equal(400, error.Code);
        Assert.Contains("bin", error.Message);
    }

    [Fact]
    public void Ext_is_refused_with_400()
    {
        Assert.Equal(400, Refused(Pack((ref MessagePackWriter w) => w.WriteExtensionFormat(new ExtensionResult(5, new byte[] { 1 })))).Code);
    }

    [Fact]
    public void Timestamp_ext_is_refused_with_400()
    {
        Assert.Equal(400, Refused(Pack((ref MessagePackWriter w) => w.Write(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)))).Code);
    }

    [Fact]
    public void Map_key_other_than_str_is_refused_with_400()
    {
        var error = Refused(Pack((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write(1);
            w.Write("one");
        }));

        Assert.Equal(400, error.Code);
        Assert.Contains("keys must be str", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Float_JSON_cannot_hold_is_refused_with_400(double value)
    {
        Assert.Equal(400, Refused(Pack((ref MessagePackWriter w) => w.Write(value))).Code);
        Assert.Equal(400, Refused(Pack((ref MessagePackWriter w) => w.Write((float)value))).Code);
    }

    [Fact]
    public void Str_that_is_not_UTF8_is_refused_with_400()
    {
        Assert.Equal(400, Refused(Pack((ref MessagePackWriter w) => w.WriteString(new byte[] { 0x61, 0xFF }))).Code);
    }

    [Fact]
    public void Nesting_64_levels_converts_and_65_is_refused()
    {
        static byte[] Nested(int levels) => Pack((ref MessagePackWriter w) =>
        {
            for (int i = 0; i < levels; i++) w.WriteArrayHeader(i == levels - 1 ? 0 : 1);
        });

        Assert.Equal(string.Concat(Enumerable.Repeat("[", 64)) + string.Concat(Enumerable.Repeat("]", 64)), ToJson(Nested(64)));
        Assert.Equal(400, Refused(Nested(65)).Code);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
