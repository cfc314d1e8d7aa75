using System.IO.Compression;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// The peer's side of permessage-deflate, built on .NET's DeflateStream rather than the engine's zlib code: compresses
/// messages with context takeover (one stream for the connection) and inflates single messages (RFC 7692 §7.2).
/// </summary>
internal sealed class RawDeflate : IDisposable
{
    private static readonly byte[] SyncFlushTail = [0x00, 0x00, 0xFF, 0xFF];
    private readonly MemoryStream _output = new();
    private readonly DeflateStream _deflater;

    public RawDeflate()
    {
        _deflater = new DeflateStream(_output, CompressionLevel.Optimal, leaveOpen: true);
    }

    /// <summary>One message's compressed payload: a sync flush with its 00 00 FF FF tail removed (§7.2.1).</summary>
    public byte[] Compress(byte[] message)
    {
        _output.SetLength(0);
        _deflater.Write(message);
        _deflater.Flush();
        var bytes = _output.ToArray();
        if (!bytes.AsSpan().EndsWith(SyncFlushTail)) throw new InvalidOperationException("DeflateStream.Flush did not end with a sync flush.");
        return bytes[..^4];
    }

    /// <summary>Inflates one message compressed without context from earlier messages, after restoring the tail (§7.2.2).</summary>
    public static byte[] Inflate(byte[] payload)
    {
        using var input = new MemoryStream([.. payload, .. SyncFlushTail]);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    public void Dispose()
    {
        _deflater.Dispose();
        _output.Dispose();
    }
}
