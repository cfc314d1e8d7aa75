using System.IO.Pipelines;

namespace Wirehub.WebSockets;

/// <summary>Pipes over a stream (HTTP/2 extended CONNECT, TLS client streams), reading with zero-byte reads so an idle connection rents no buffer.</summary>
internal sealed class StreamDuplexPipe(Stream stream) : IDuplexPipe
{
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));

    public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
}
