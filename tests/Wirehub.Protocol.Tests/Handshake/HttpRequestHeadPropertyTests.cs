using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Wirehub.Protocol.Tests.Handshake;

public class HttpRequestHeadPropertyTests
{
    /// <summary>A well-formed request head, built from its parts so that the expected parse is known.</summary>
    public sealed record GeneratedRequest(string Method, string Target, string Version,
        KeyValuePair<string, string>[] Fields, string Padding)
    {
        public byte[] ToBytes()
        {
            var text = new StringBuilder($"{Method} {Target} {Version}\r\n");
            foreach (var (name, value) in Fields)
            {
                text.Append(name).Append(':').Append(Padding).Append(value).Append(Padding).Append("\r\n");
            }

            return Encoding.Latin1.GetBytes(text.Append("\r\n").ToString());
        }

        public override string ToString() => Encoding.Latin1.GetString(ToBytes());
    }

    /// <summary>One edit of the bytes of a head: replace, insert or delete a byte.</summary>
    public sealed record Mutation(int Kind, int Position, byte Value);

    public static class Generators
    {
        private const string TokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        private static readonly char[] TargetChars = [.. Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => (char)c)];

        private static readonly char[] ValueChars = [.. TargetChars, '\u00e9', '\u00ff', '\u0080'];

        private static Gen<string> Token() => Gen.Elements(TokenChars.ToCharArray()).NonEmptyListOf()
            .Select(chars => new string([.. chars]));

        private static Gen<string> Target() =>
            Gen.Elements(TargetChars).ListOf().Select(chars => "/" + new string([.. chars]));

        // field-value: visible characters with spaces and tabs only inside, never at the ends.
        private static Gen<string> FieldValue() =>
            Gen.OneOf(
                    Gen.Elements(ValueChars).Select(c => c.ToString()),
                    Gen.Elements(' ', '\t').Select(c => c.ToString()))
                .ListOf()
                .Select(parts => string.Concat(parts).Trim(' ', '\t'));

        public static Arbitrary<GeneratedRequest> Requests() =>
            (from method in Gen.Frequency((3, Gen.Constant("GET")), (1, Token()))
             from target in Target()
             from major in Gen.Choose(0, 9)
             from minor in Gen.Choose(0, 9)
             from names in Token().ListOf()
             from values in FieldValue().ListOf()
             from padding in Gen.Elements("", " ", "\t", " \t ")
             select new GeneratedRequest(method, target, $"HTTP/{major}.{minor}",
                 [.. names.Zip(values, (n, v) => new KeyValuePair<string, string>(n, v))], padding))
            .ToArbitrary();

        public static Arbitrary<Mutation> Mutations() =>
            (from kind in Gen.Choose(0, 2)
             from position in Gen.Choose(0, int.MaxValue)
             from value in Gen.Frequency(
                 (3, Gen.Elements("\r\n :\t\0\u007f\u00e9G/1".Select(c => (byte)c).ToArray())),
                 (1, Gen.Choose(0, 255).Select(b => (byte)b)))
             select new Mutation(kind, position, value))
            .ToArbitrary();
    }

    private static byte[] Apply(byte[] bytes, IEnumerable<Mutation> mutations)
    {
        var result = bytes.ToList();
        foreach (var mutation in mutations)
        {
            var position = mutation.Position % (result.Count + 1);
            switch (mutation.Kind)
            {
                case 0 when position < result.Count:
                    result[position] = mutation.Value;
                    break;
                case 1:
                    result.Insert(position, mutation.Value);
                    break;
                case 2 when position < result.Count:
                    result.RemoveAt(position);
                    break;
            }
        }

        return [.. result];
    }

    private static string Describe(HttpRequestHead? head) => head is null
        ? "(none)"
        : $"{head.Method}|{head.Target}|{head.Version}|{string.Join("|", head.Headers.Select(h => h.Key + "=" + h.Value))}";

    // The contract of TryRead for any input: a defined status, a head exactly when Complete, a consumed position within
    // maxHeaderBytes that ends the head with CR LF CR LF, and the same answer whether or not bytes beyond the limit are
    // present and however the input is split into segments.
    private static HttpHeadReadStatus AssertWellBehaved(byte[] bytes, int limit, int[] cuts)
    {
        var whole = new ReadOnlySequence<byte>(bytes);
        var status = HttpRequestHead.TryRead(whole, limit, out var head, out var consumed);

        Assert.True(Enum.IsDefined(status));
        var consumedLength = whole.GetOffset(consumed);
        if (status == HttpHeadReadStatus.Complete)
        {
            Assert.NotNull(head);
            Assert.InRange(consumedLength, 4, Math.Min(limit, bytes.Length));
            Assert.Equal("\r\n\r\n"u8.ToArray(), bytes[(int)(consumedLength - 4)..(int)consumedLength]);
        }
        else
        {
            Assert.Null(head);
            Assert.Equal(0, consumedLength);
        }

        var withinLimit = new ReadOnlySequence<byte>(bytes, 0, Math.Min(bytes.Length, limit));
        var limitedStatus = HttpRequestHead.TryRead(withinLimit, limit, out var limitedHead, out var limitedConsumed);
        Assert.Equal(status, limitedStatus);
        Assert.Equal(Describe(head), Describe(limitedHead));
        Assert.Equal(consumedLength, withinLimit.GetOffset(limitedConsumed));

        var segmented = MultiSegmentSequence.Split(bytes, cuts.Select(c => (int)((uint)c % (uint)(bytes.Length + 1))));
        var segmentedStatus = HttpRequestHead.TryRead(segmented, limit, out var segmentedHead, out var segmentedConsumed);
        Assert.Equal(status, segmentedStatus);
        Assert.Equal(Describe(head), Describe(segmentedHead));
        Assert.Equal(consumedLength, segmented.GetOffset(segmentedConsumed));
        return status;
    }

    [Property]
    public void Random_bytes_never_throw_and_keep_the_contract(byte[] bytes, PositiveInt limit, int[] cuts)
    {
        AssertWellBehaved(bytes, limit.Get, cuts);
    }

    [Property]
    public void Random_bytes_after_a_request_line_prefix_never_throw_and_keep_the_contract(byte[] tail, PositiveInt limit, int[] cuts)
    {
        AssertWellBehaved([.. "GET /ws HTTP/1.1\r\n"u8, .. tail], limit.Get, cuts);
    }

    [Property(Arbitrary = [typeof(Generators)])]
    public void Generated_request_reads_back_its_request_line_and_fields(GeneratedRequest generated, int[] cuts)
    {
        var bytes = generated.ToBytes();

        Assert.Equal(HttpHeadReadStatus.Complete, AssertWellBehaved([.. bytes, 0x81, 0x80], bytes.Length + 2, cuts));
        HttpRequestHead.TryRead(new ReadOnlySequence<byte>(bytes), bytes.Length, out var head, out _);
        Assert.Equal(generated.Method, head!.Method);
        Assert.Equal(generated.Target, head.Target);
        Assert.Equal(generated.Version, head.Version);
        Assert.Equal(generated.Fields, head.Headers.ToArray());
    }

    [Property(Arbitrary = [typeof(Generators)])]
    public void Every_proper_prefix_of_a_generated_request_needs_more_data(GeneratedRequest generated)
    {
        var bytes = generated.ToBytes();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(HttpHeadReadStatus.NeedMoreData,
                HttpRequestHead.TryRead(new ReadOnlySequence<byte>(bytes, 0, length), bytes.Length, out _, out _));
        }
    }

    [Property(Arbitrary = [typeof(Generators)])]
    public void Generated_request_longer_than_the_limit_is_too_large(GeneratedRequest generated, PositiveInt shortfall)
    {
        var bytes = generated.ToBytes();
        var limit = Math.Max(1, bytes.Length - shortfall.Get);

        Assert.Equal(HttpHeadReadStatus.TooLarge,
            HttpRequestHead.TryRead(new ReadOnlySequence<byte>(bytes), limit, out var head, out _));
        Assert.Null(head);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 300)]
    public void Mutated_request_never_throws_and_keeps_the_contract(GeneratedRequest generated, Mutation[] mutations,
        byte limitPercent, int[] cuts)
    {
        var bytes = Apply(generated.ToBytes(), mutations);
        var limit = Math.Max(1, bytes.Length * (limitPercent + 1) / 128);

        AssertWellBehaved(bytes, limit, cuts);
    }
}
