using System.Text;
using BenchmarkDotNet.Attributes;
using Wirehub.Protocol;

namespace Wirehub.Benchmarks;

/// <summary>UTF-8 validation of text messages (RFC 6455 §8.1) against a throwing decoder.</summary>
[MemoryDiagnoser]
public class Utf8ValidatorBenchmarks
{
    private const int FragmentSize = 4096;
    private static readonly UTF8Encoding StrictEncoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private byte[] _text = [];

    [Params(4 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    /// <summary>Ascii: printable ASCII only. Mixed: Latin, Greek, CJK and emoji between ASCII words.</summary>
    [Params("Ascii", "Mixed")]
    public string Text { get; set; } = "Ascii";

    [GlobalSetup]
    public void Setup()
    {
        string unit = Text == "Ascii" ? "The quick brown fox jumps over the lazy dog. " : "Grüße κόσμε 世界 🌍 naïve café ";
        var builder = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(builder.ToString()) < Size)
        {
            builder.Append(unit);
        }

        byte[] encoded = Encoding.UTF8.GetBytes(builder.ToString());

        // Cut at the requested size, backing off to a character boundary so the input stays valid.
        int length = Size;
        while ((encoded[length] & 0xC0) == 0x80)
        {
            length--;
        }

        _text = encoded[..length];
    }

    [Benchmark(Baseline = true)]
    public int ThrowingDecoder() => StrictEncoding.GetCharCount(_text);

    [Benchmark]
    public bool IsValid() => Utf8Validator.IsValid(_text);

    [Benchmark]
    public bool TryAppendWhole()
    {
        var validator = new Utf8Validator();
        return validator.TryAppend(_text) && validator.IsComplete;
    }

    [Benchmark]
    public bool TryAppendInFragments()
    {
        var validator = new Utf8Validator();
        ReadOnlySpan<byte> text = _text;
        while (text.Length > FragmentSize)
        {
            // Odd cut so characters straddle fragment boundaries.
            if (!validator.TryAppend(text[..(FragmentSize - 1)]))
            {
                return false;
            }

            text = text[(FragmentSize - 1)..];
        }

        return validator.TryAppend(text) && validator.IsComplete;
    }
}
