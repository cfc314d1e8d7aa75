using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Wirehub.Realtime.Tests.MessagePack.Support;

/// <summary>
/// Arbitrary JSON values: objects, arrays, integers of every width, finite floats, strings of any Unicode text (control
/// characters, quotes, astral characters, which JSON escapes), booleans and null.
/// </summary>
public static class JsonTrees
{
    public static Arbitrary<JsonNode?> Arbitrary() => Gen.Sized(size => Value(Math.Min(size, 24))).ToArbitrary();

    private static Gen<JsonNode?> Value(int size) => size <= 1
        ? Scalar()
        : Gen.Frequency<JsonNode?>(
            (4, Scalar()),
            (1, Few(Value(size / 3)).Select(items => (JsonNode?)new JsonArray([.. items]))),
            (1, Few(Gen.Zip(Text(), Value(size / 3))).Select(Object)));

    private static Gen<List<T>> Few<T>(Gen<T> item) => Gen.Choose(0, 4).SelectMany(count => Gen.ListOf(item, count));

    private static JsonNode? Object(IEnumerable<(string Key, JsonNode? Value)> fields)
    {
        var result = new JsonObject();
        foreach (var (key, value) in fields) result[key] = value; // a repeated key keeps its last value
        return result;
    }

    private static Gen<JsonNode?> Scalar() => Gen.OneOf<JsonNode?>(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.OneOf(Gen.Choose(-200, 200).Select(i => (long)i), ArbMap.Default.GeneratorFor<long>(),
                Gen.Elements(long.MinValue, long.MaxValue, int.MinValue, (long)uint.MaxValue + 1))
            .Select(n => (JsonNode?)JsonValue.Create(n)),
        ArbMap.Default.GeneratorFor<ulong>().Select(n => n | (1UL << 63)).Select(n => (JsonNode?)JsonValue.Create(n)),
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.Elements(0.1, 1.0, -0.0, 1e300, 5e-324, 123456789.0).Select(d => (JsonNode?)JsonValue.Create(d)),
        Text().Select(s => (JsonNode?)JsonValue.Create(s)));

    /// <summary>Valid Unicode text: ASCII (controls and quotes included), other BMP characters and astral ones.</summary>
    public static Gen<string> Text() =>
        Gen.Choose(0, 12).SelectMany(length => Gen.ListOf(Gen.Frequency(
                (6, Gen.Choose(0, 0x7F)),
                (2, Gen.Choose(0x80, 0xFFFF).Where(c => c is < 0xD800 or > 0xDFFF)),
                (1, Gen.Choose(0x10000, 0x10FFFF))), length))
            .Select(points =>
            {
                var text = new StringBuilder();
                foreach (int point in points) text.Append(char.ConvertFromUtf32(point));
                return text.ToString();
            });
}
