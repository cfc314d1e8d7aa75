using System.IO.Pipelines;

namespace Wirehub.WebSockets;

/// <summary>Pipes over a stream (HTTP/2 extended CONNECT, TLS client streams), reading with zero-byte reads so an idle connection rents no buffer.</summary>
/// <remarks>With <c>ownsStream</c>, completing the output disposes the stream, so a connection that shuts its transport closes the TCP connection.</remarks>
internal sealed class StreamDuplexPipe(Stream stream, bool ownsStream = false) : IDuplexPipe
{
    public PipeReader Input { get; } = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));

    public PipeWriter Output { get; } = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: !ownsStream));
}
