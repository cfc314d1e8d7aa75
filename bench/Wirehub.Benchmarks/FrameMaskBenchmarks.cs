using BenchmarkDotNet.Attributes;
using Wirehub.Protocol;

namespace Wirehub.Benchmarks;

/// <summary>Payload masking (RFC 6455 §5.3): the vectorised implementation against the byte-wise definition.</summary>
[MemoryDiagnoser]
public class FrameMaskBenchmarks
{
    private const int MaskKey = 0x3d21fa37;
    private byte[] _payload = [];

    [Params(32, 4 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[Size];
        new Random(42).NextBytes(_payload);
    }

    [Benchmark(Baseline = true)]
    public void BytewiseLoop()
    {
        byte[] payload = _payload;
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] ^= (byte)(MaskKey >> (8 * (i & 3)));
        }
    }

    [Benchmark]
    public void Apply() => FrameMask.Apply(_payload, MaskKey);

    [Benchmark]
    public void ApplyAtOddOffset() => FrameMask.Apply(_payload, MaskKey, offset: 3);
}
