using System.IO.Pipelines;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// One WebSocket connection after its opening handshake, in either role, running the RFC 6455 frame engine directly
/// over a duplex pipe. Receives are single-reader (one receive at a time); sends are thread-safe and go through a
/// bounded send queue. Ping, pong and the closing handshake are handled inside.
/// </summary>
public sealed partial class WebSocketConnection : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly WebSocketRole _role;
    private readonly WebSocketOptions _options;
    private readonly PerMessageDeflate? _deflate;
    private readonly Action? _abortTransport;
    // Server connections count their messages and bytes in the engine's metrics (WebSocketMetrics).
    private readonly bool _metered;
    private int _state = (int)WebSocketState.Open;
    private int _disposed;

    private WebSocketConnection(IDuplexPipe transport, WebSocketRole role, WebSocketOptions options, string? subProtocol,
        PerMessageDeflateParameters? deflate, Action? abortTransport)
    {
        _reader = transport.Input;
        _writer = transport.Output;
        _role = role;
        _metered = role == WebSocketRole.Server;
        _options = options;
        SubProtocol = subProtocol;
        if (deflate is not null)
        {
            _deflate = new PerMessageDeflate(deflate, role, options.PerMessageDeflate ?? new PerMessageDeflateOptions());
            Extensions = deflate.ToHeaderValue();
        }
        _abortTransport = abortTransport;
        _lastReceiveTicks = Environment.TickCount64;
        KeepAliveSweeper.Register(this);
    }

    /// <summary>
    /// Runs the WebSocket protocol over a transport whose opening handshake has already completed (the hosting layer
    /// and <see cref="WebSocketClient"/> do this; use it directly for custom transports).
    /// </summary>
    /// <param name="transport">The connection's byte streams, positioned just after the handshake.</param>
    /// <param name="role">Which side this is: it decides the masking rules.</param>
    /// <param name="options">Limits and timeouts; not copied, do not change them afterwards.</param>
    /// <param name="subProtocol">The negotiated subprotocol, if any.</param>
    /// <param name="deflate">The negotiated permessage-deflate parameters, or null without compression.</param>
    /// <param name="abortTransport">Closes the underlying transport at once (for example <c>HttpContext.Abort</c>); optional.</param>
    public static WebSocketConnection Create(IDuplexPipe transport, WebSocketRole role, WebSocketOptions? options = null,
        string? subProtocol = null, PerMessageDeflateParameters? deflate = null, Action? abortTransport = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new WebSocketConnection(transport, role, options ?? new WebSocketOptions(), subProtocol, deflate, abortTransport);
    }

    /// <summary>Open, closing or closed.</summary>
    public WebSocketState State => (WebSocketState)Volatile.Read(ref _state);

    /// <summary>Which side of the connection this is.</summary>
    public WebSocketRole Role => _role;

    /// <summary>The subprotocol agreed in the handshake, or null.</summary>
    public string? SubProtocol { get; }

    /// <summary>The extensions agreed in the handshake, as a <c>Sec-WebSocket-Extensions</c> value, or null.</summary>
    public string? Extensions { get; }

    /// <summary>The close code received from the peer (or 1006 when the connection dropped without one); null while open.</summary>
    public ushort? CloseStatus { get; private set; }

    /// <summary>The close reason received from the peer, or a description of why the connection failed.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Bytes accepted by sends and not yet handed to the transport.</summary>
    public long BufferedAmount => Interlocked.Read(ref _bufferedBytes);

    /// <summary>Closes the transport at once, without a closing handshake.</summary>
    public void Abort()
    {
        RecordClose(CloseCode.AbnormalClosure, "The connection was aborted.");
        Volatile.Write(ref _state, (int)WebSocketState.Closed);
        ShutdownTransport(abortive: true);
    }

    /// <summary>Aborts the connection if it is still open and releases its buffers.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return default;
        if (State != WebSocketState.Closed) Abort();
        else ShutdownTransport(abortive: false);
        return default;
    }

    private void RecordClose(ushort code, string? reason)
    {
        lock (_sendLock)
        {
            if (CloseStatus is not null) return;
            CloseStatus = code;
            CloseReason = reason;
        }
    }

    private int _transportShut;

    /// <summary>Completes both pipes so the transport closes; the server thereby closes the TCP connection first.</summary>
    private void ShutdownTransport(bool abortive)
    {
        if (Interlocked.Exchange(ref _transportShut, 1) != 0) return;
        KeepAliveSweeper.Unregister(this);
        lock (_sendLock)
        {
            _sendClosed = true;
            _sendQueue?.Discard();
            Interlocked.Exchange(ref _bufferedBytes, 0);
            ReleaseSpaceWaiters();
            if (!_writerBusy) TryComplete(_writer);
            else _completeWriterWhenIdle = true;
        }
        if (abortive) _abortTransport?.Invoke();
        // The reader is completed by the receive side when it stops, so a pending read is never torn from under it.
        if (Volatile.Read(ref _receiving) == 0) CompleteReader();
        else _reader.CancelPendingRead();
        _deflateReleasePending = true;
        TryReleaseDeflate();
    }

    private bool _deflateReleasePending;

    private void TryReleaseDeflate()
    {
        if (!_deflateReleasePending || Volatile.Read(ref _receiving) != 0) return;
        lock (_sendLock)
        {
            if (_writerBusy) return;
            _deflate?.Dispose();
            _compressedBuffer?.Release();
        }
    }

    private int _readerCompleted;

    private void CompleteReader()
    {
        if (Interlocked.Exchange(ref _readerCompleted, 1) != 0) return;
        _messageBuffer?.Release();
        TryComplete(_reader);
    }

    private static void TryComplete(PipeReader reader)
    {
        try { reader.Complete(); } catch (InvalidOperationException) { }
    }

    private static void TryComplete(PipeWriter writer)
    {
        try { writer.Complete(); } catch (InvalidOperationException) { }
    }
}
