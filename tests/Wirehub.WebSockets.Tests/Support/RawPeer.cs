using System.IO.Pipelines;
using System.Text;
using Wirehub.Protocol;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// The far end of an engine connection running over in-memory pipes: the test writes raw bytes to the engine and
/// reads back, frame by frame, exactly what the engine put on the wire.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    /// <summary>How long a test waits for something the engine should do promptly before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Pipe _toEngine;
    private readonly Pipe _fromEngine;
    private int _transportAborts;

    private RawPeer(WebSocketRole engineRole, WebSocketOptions? options, PerMessageDeflateParameters? deflate,
        PipeOptions toEngine, PipeOptions fromEngine, PipeReader? input = null)
    {
        _toEngine = new Pipe(toEngine);
        _fromEngine = new Pipe(fromEngine);
        EngineRole = engineRole;
        Connection = WebSocketConnection.Create(new DuplexPipe(input ?? _toEngine.Reader, _fromEngine.Writer), engineRole, options,
            subProtocol: null, deflate, () => Interlocked.Increment(ref _transportAborts));
    }

    /// <summary>Pipes that never push back and resume continuations on the thread pool.</summary>
    public static PipeOptions Unbounded { get; } = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    public static RawPeer Create(WebSocketRole engineRole, WebSocketOptions? options = null,
        PerMessageDeflateParameters? deflate = null, PipeOptions? fromEngine = null, PipeOptions? toEngine = null) =>
        new(engineRole, options, deflate, toEngine ?? Unbounded, fromEngine ?? Unbounded);

    /// <summary>A connection whose input arrives in exactly these pieces, one per read, and then ends.</summary>
    public static RawPeer CreateScripted(WebSocketRole engineRole, IEnumerable<byte[]> pieces, WebSocketOptions? options = null,
        PerMessageDeflateParameters? deflate = null) =>
        new(engineRole, options, deflate, Unbounded, Unbounded, new ScriptedPipeReader(pieces));

    public WebSocketConnection Connection { get; }

    public WebSocketRole EngineRole { get; }

    /// <summary>A server engine expects masked frames from its peer (RFC 6455 §5.1); a client engine expects unmasked ones.</summary>
    public bool PeerMasks => EngineRole == WebSocketRole.Server;

    /// <summary>How many times the engine asked for the transport to be torn down at once.</summary>
    public int TransportAborts => Volatile.Read(ref _transportAborts);

    /// <summary>The engine's input, for tests that drive it byte by byte.</summary>
    public PipeWriter ToEngine => _toEngine.Writer;

    /// <summary>The engine's output, for tests that read it themselves.</summary>
    public PipeReader FromEngine => _fromEngine.Reader;

    public async Task WriteAsync(byte[] bytes)
    {
        await _toEngine.Writer.WriteAsync(bytes);
    }

    public Task SendFrameAsync(Opcode opcode, byte[] payload, bool fin = true, bool rsv1 = false) =>
        WriteAsync(FrameBytes.Build(opcode, payload, PeerMasks, fin, rsv1));

    public Task SendTextAsync(string text, bool fin = true) => WriteAsync(FrameBytes.Text(text, PeerMasks, fin));

    public Task SendCloseAsync(ushort code, string reason = "") => WriteAsync(FrameBytes.Close(code, reason, PeerMasks));

    /// <summary>The peer closes its side of the TCP connection: the engine's input ends.</summary>
    public void CloseTransport() => _toEngine.Writer.Complete();

    /// <summary>The next frame the engine wrote; fails when the engine ends its output instead.</summary>
    public async Task<ReceivedFrame> ReadFrameAsync()
    {
        return await ReadFrameOrEndAsync()
            ?? throw new InvalidOperationException("The engine closed its output instead of writing the expected frame.");
    }

    /// <summary>The next frame the engine wrote, or null once the engine has closed its output.</summary>
    public async Task<ReceivedFrame?> ReadFrameOrEndAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var reader = _fromEngine.Reader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The engine wrote no frame within {Patience.TotalSeconds} s.");
            }
            var buffer = result.Buffer;
            if (WireFrameParser.TryParse(ref buffer, out var frame))
            {
                reader.AdvanceTo(buffer.Start);
                return frame;
            }
            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty) throw new InvalidOperationException($"The engine closed its output in the middle of a frame ({buffer.Length} bytes left).");
                reader.AdvanceTo(buffer.End);
                return null;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads frames until the engine closes its output; returns the frames that came before the end.</summary>
    public async Task<List<ReceivedFrame>> ReadUntilOutputEndsAsync()
    {
        var frames = new List<ReceivedFrame>();
        while (await ReadFrameOrEndAsync() is { } frame) frames.Add(frame);
        return frames;
    }

    /// <summary>True when the engine has already closed its output and everything it wrote has been read.</summary>
    public bool OutputHasEnded()
    {
        if (!_fromEngine.Reader.TryRead(out var result)) return false;
        _fromEngine.Reader.AdvanceTo(result.Buffer.Start);
        return result.IsCompleted && result.Buffer.IsEmpty;
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> while a receive is pending and returns the frame the engine answers with; then
    /// completes the closing handshake as a well-behaved peer would (close frame, then end of transport) and checks the
    /// receive reported the close.
    /// </summary>
    public async Task<ReceivedFrame> SendExpectingCloseAsync(byte[] bytes)
    {
        var receive = Connection.ReceiveAsync().AsTask();
        await WriteAsync(bytes);
        var answer = await ReadFrameAsync();
        if (answer.Opcode == Opcode.Close)
        {
            await WriteAsync(FrameBytes.Build(Opcode.Close, answer.Payload.Length >= 2 ? answer.Payload[..2] : [], PeerMasks));
            CloseTransport();
            var message = await receive.WaitAsync(Patience);
            if (!message.IsClose) throw new InvalidOperationException($"The receive returned a {message.Type} message instead of the close.");
        }
        return answer;
    }

    /// <summary>Receives until the connection reports its close, collecting the text of every message.</summary>
    public async Task<List<string>> ReceiveUntilClosedAsync()
    {
        var texts = new List<string>();
        while (true)
        {
            var message = await Connection.ReceiveAsync().AsTask().WaitAsync(Patience);
            if (message.IsClose) return texts;
            texts.Add(message.GetString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _toEngine.Writer.Complete();
        _fromEngine.Reader.Complete();
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
