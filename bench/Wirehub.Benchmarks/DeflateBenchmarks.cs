using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Wirehub.Protocol;

namespace Wirehub.Benchmarks;

/// <summary>
/// permessage-deflate throughput: compressing and inflating JSON-like messages of 4 KiB and 64 KiB, with context
/// takeover (each direction keeps its zlib stream) and without (a pooled stream is borrowed and reset per message).
/// </summary>
[MemoryDiagnoser]
public class DeflateBenchmarks
{
    // Distinct messages sent in turn, so context takeover sees realistic, similar-but-different traffic.
    private const int MessageCount = 16;

    private byte[][] _messages = [];
    private byte[][] _compressed = [];
    private PerMessageDeflate _sender = null!;
    private PerMessageDeflate _receiver = null!;
    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private int _next;

    [Params(4 * 1024, 64 * 1024)]
    public int MessageBytes { get; set; }

    [Params(true, false)]
    public bool ContextTakeover { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _messages = Enumerable.Range(0, MessageCount).Select(i => JsonLike(MessageBytes, seed: i)).ToArray();
        var agreed = new PerMessageDeflateParameters(!ContextTakeover, !ContextTakeover, 15, 15);
        var options = new PerMessageDeflateOptions();
        _sender = new PerMessageDeflate(agreed, WebSocketRole.Server, options);
        _receiver = new PerMessageDeflate(agreed, WebSocketRole.Client, options);

        // With context takeover each message may refer to the ones before it, so they are inflated in the order
        // they were compressed, across iterations too; the first refers to nothing, so the cycle can start over.
        using var compressor = new PerMessageDeflate(agreed, WebSocketRole.Server, options);
        _compressed = _messages.Select(message =>
        {
            var output = new ArrayBufferWriter<byte>();
            compressor.Compress(message, endOfMessage: true, output);
            return output.WrittenSpan.ToArray();
        }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Benchmark]
    public int Compress()
    {
        _output.ResetWrittenCount();
        _sender.Compress(_messages[_next++ % MessageCount], endOfMessage: true, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Decompress()
    {
        _output.ResetWrittenCount();
        InflateStatus status = _receiver.Decompress(_compressed[_next++ % MessageCount], endOfMessage: true, _output,
            long.MaxValue);
        return status == InflateStatus.Ok ? _output.WrittenCount : throw new InvalidOperationException(status.ToString());
    }

    private static byte[] JsonLike(int length, int seed)
    {
        var random = new Random(seed);
        string[] names = ["ada", "grace", "linus", "barbara", "ken", "dennis", "margaret", "edsger"];
        var json = new StringBuilder("[");
        for (int i = 0; json.Length < length; i++)
        {
            json.Append("{\"id\":").Append(random.Next(1_000_000))
                .Append(",\"user\":\"").Append(names[random.Next(names.Length)])
                .Append("\",\"channel\":\"room-").Append(random.Next(20))
                .Append("\",\"text\":\"message ").Append(i).Append(" about ").Append(names[random.Next(names.Length)])
                .Append("\",\"ts\":").Append(1_700_000_000 + random.Next(100_000)).Append("},");
        }

        return Encoding.UTF8.GetBytes(json.ToString()).AsSpan(0, length).ToArray();
    }
}
