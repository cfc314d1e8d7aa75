using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Wirehub.Conformance.Tests.Catalogue;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.Engine;

/// <summary>
/// One side of a WebSocket connection run by the harness (fuzzing client or fuzzing server) after the opening
/// handshake. It sends whatever a case asks for, valid or not, and reacts to the peer the way a strict RFC 6455
/// endpoint does: it answers pings, answers and completes closing handshakes, and fails the connection when the
/// peer breaks a rule. It records who closed, whether the closing handshake was clean and which close code the peer
/// sent, which is what the case's verdict is judged on.
/// </summary>
/// <remarks>
/// Every reaction (incoming frame, timer, case step) runs under one lock and only queues bytes, so a case behaves
/// like a single-threaded event loop and nothing ever waits on the socket while holding the lock.
/// </remarks>
internal sealed class FuzzingPeer
{
    /// <summary>Upper bound for one received message; section 9 goes up to 16 MiB.</summary>
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly object _gate = new();
    private readonly Socket _socket;
    private readonly SocketWriter _writer;
    private readonly FuzzingCase _case;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ArrayBufferWriter<byte> _message = new();
    private readonly ArrayBufferWriter<byte> _control = new(128);
    private readonly byte[] _frameKey = new byte[4];
    private Utf8StreamValidator _utf8;

    private WireFrameHeader _frame;
    private bool _inFrame;
    private long _frameReceived;
    private bool _skipFrame;
    private bool _insideMessage;
    private int _messageOpcode;
    private bool _messageCompressed;
    private bool _peerViolated;
    private bool _closeReceived;
    private bool _gracefulDrop;

    private int _streamOpcode;
    private bool _streamFirstFrame;
    private long _streamFrameRemaining;
    private long _streamFrameOffset;
    private byte[] _streamFrameKey = [];

    public FuzzingPeer(Socket socket, PeerRole role, FuzzingCase fuzzCase, HarnessOptions options, DeflateCodec? compression, string? negotiatedExtensions)
    {
        _socket = socket;
        _writer = new SocketWriter(socket);
        _case = fuzzCase;
        Role = role;
        Options = options;
        Compression = compression;
        NegotiatedExtensions = negotiatedExtensions;
    }

    public PeerRole Role { get; }

    public bool IsServer => Role == PeerRole.Server;

    public HarnessOptions Options { get; }

    public PeerState State { get; private set; } = PeerState.Open;

    /// <summary>The agreed permessage-deflate parameters, or null when no extension is in use.</summary>
    public DeflateCodec? Compression { get; }

    public string? NegotiatedExtensions { get; }

    /// <summary>The harness started the closing handshake (rather than answering the peer's Close).</summary>
    public bool ClosedByMe { get; private set; }

    /// <summary>The harness failed the connection because the peer broke a rule or a kill timer ran out.</summary>
    public bool FailedByMe { get; private set; }

    /// <summary>The harness closed the TCP connection (rather than the peer).</summary>
    public bool DroppedByMe { get; private set; }

    /// <summary>Both Close frames were exchanged (RFC 6455 §7.1.4 "closed cleanly").</summary>
    public bool WasClean { get; private set; }

    public string? WasNotCleanReason { get; private set; }

    public int? RemoteCloseCode { get; private set; }

    public string? RemoteCloseReason { get; private set; }

    public int? LocalCloseCode { get; private set; }

    /// <summary>When positive, outgoing messages are split into frames of at most this many payload bytes.</summary>
    public int AutoFragmentSize { get; set; }

    /// <summary>Data frames sent, by opcode (continuation, text, binary).</summary>
    public int[] SentDataFrames { get; } = new int[3];

    public bool TimedOut { get; private set; }

    public string? HarnessError { get; private set; }

    public WireLog Log { get; } = new();

    /// <summary>
    /// Runs the case until the TCP connection is gone (or <paramref name="timeout"/> passes), then lets the case
    /// judge what happened. <paramref name="leftover"/> holds bytes that arrived together with the handshake.
    /// </summary>
    public async Task RunAsync(ReadOnlyMemory<byte> leftover, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _case.Attach(this);
        if (NegotiatedExtensions is not null) Log.AddAlways($"extensions: {NegotiatedExtensions} ({Compression?.Describe()})");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        await using var onDeadline = deadline.Token.Register(() => Run($"case timeout after {timeout.TotalSeconds:0.#} s", () =>
        {
            TimedOut = true;
            DropConnection(abort: true);
        }));

        Run("open", _case.OnOpen, isTimer: false);

        var buffer = new byte[Math.Max(64 * 1024, leftover.Length)];
        leftover.CopyTo(buffer);
        int start = 0, end = leftover.Length;
        while (true)
        {
            int consumed;
            lock (_gate)
            {
                if (State == PeerState.Closed) break;
                consumed = ProcessGuarded(buffer.AsSpan(start, end - start));
                if (State == PeerState.Closed) break;
            }
            start += consumed;
            if (start == end) start = end = 0;
            else if (buffer.Length - end < FrameBuilder.MaxHeaderLength)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            int read;
            string? failure = null;
            try
            {
                read = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                read = 0;
                failure = e.Message;
            }
            if (read == 0)
            {
                lock (_gate) OnTcpClosed(failure is null ? "TCP CLOSED BY PEER" : $"TCP CONNECTION LOST ({failure})");
                break;
            }
            end += read;
        }

        if (_gracefulDrop) await DrainUntilPeerClosesAsync(buffer).ConfigureAwait(false);
        try { await _writer.Completion.WaitAsync(Options.Timeout(1)).ConfigureAwait(false); } catch (TimeoutException) { }
        _socket.Dispose();
        lock (_gate)
        {
            _lifetime.Cancel();
            try { _case.OnConnectionLost(); }
            catch (Exception e) { HarnessError ??= $"judging the case failed: {e}"; }
        }
        Compression?.Dispose();
    }

    // ---- sending ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Sends one frame exactly as described, whatever the connection state (the catalogue sends frames after a Close
    /// on purpose). <paramref name="repeatTo"/> repeats <paramref name="payload"/> up to that many bytes;
    /// <paramref name="chopSize"/> writes the frame in pieces of that many bytes; <paramref name="sync"/> writes the
    /// frame on its own rather than together with neighbouring frames.
    /// </summary>
    public void SendFrame(int opcode, ReadOnlySpan<byte> payload = default, bool fin = true, int rsv = 0,
        int? repeatTo = null, int? chopSize = null, bool sync = false)
    {
        long length = repeatTo ?? payload.Length;
        byte[] key = IsServer ? [] : PayloadMasker.NewKey();
        int header = FrameBuilder.HeaderLength(length, !IsServer);
        var frame = new byte[checked((int)(header + length))];
        FrameBuilder.WriteHeader(frame, fin, rsv, opcode, length, key);
        var body = frame.AsSpan(header);
        if (repeatTo is not null) PayloadPattern.Fill(body, payload);
        else payload.CopyTo(body);
        string preview = Log.Enabled ? CaseEvent.Preview(body) : "";
        if (key.Length > 0) PayloadMasker.Apply(body, key);

        if (opcode is >= 0 and <= 2) SentDataFrames[opcode]++;
        Log.Add($"TX {WireOpcode.Name(opcode)} fin={(fin ? 1 : 0)} rsv={rsv} len={length}" +
                $"{(chopSize is int c ? $" chop={c}" : "")}{(sync ? " sync" : "")} {preview}");
        if (chopSize is int chop and > 0) _writer.EnqueueChopped(frame, chop);
        else _writer.Enqueue(frame, separate: sync);
    }

    /// <summary>
    /// Sends a whole message, compressed when permessage-deflate is in use and fragmented by
    /// <paramref name="fragmentSize"/> (or <see cref="AutoFragmentSize"/>). Does nothing once closing has begun.
    /// </summary>
    public void SendMessage(ReadOnlySpan<byte> payload, bool binary, int? fragmentSize = null, bool sync = false)
    {
        if (State != PeerState.Open)
        {
            Log.Add("message not sent: the connection is no longer open");
            return;
        }
        int opcode = binary ? WireOpcode.Binary : WireOpcode.Text;
        bool compressed = Compression is not null;
        ReadOnlySpan<byte> body = payload;
        if (compressed) body = Compression!.Compress(payload);
        int rsv = compressed ? 4 : 0;
        int? size = fragmentSize ?? (AutoFragmentSize > 0 ? AutoFragmentSize : null);
        if (size is not int fragment || body.Length <= fragment)
        {
            SendFrame(opcode, body, rsv: rsv, sync: sync);
            return;
        }
        if (sync)
        {
            for (int offset = 0; offset < body.Length; offset += fragment)
            {
                int n = Math.Min(fragment, body.Length - offset);
                SendFrame(offset == 0 ? opcode : WireOpcode.Continuation, body.Slice(offset, n), fin: offset + n == body.Length,
                    rsv: offset == 0 ? rsv : 0, sync: true);
            }
            return;
        }

        // Many small fragments (section 9 sends 65536 of them) are built into one buffer and queued at once.
        int count = (body.Length + fragment - 1) / fragment;
        long total = 0;
        for (int i = 0; i < count; i++) total += FrameBuilder.HeaderLength(Math.Min(fragment, body.Length - i * fragment), !IsServer) + Math.Min(fragment, body.Length - i * fragment);
        var frames = new byte[total];
        int position = 0;
        for (int i = 0; i < count; i++)
        {
            int n = Math.Min(fragment, body.Length - i * fragment);
            byte[] key = IsServer ? [] : PayloadMasker.NewKey();
            position += FrameBuilder.Write(frames.AsSpan(position), i == count - 1, i == 0 ? rsv : 0, i == 0 ? opcode : WireOpcode.Continuation,
                body.Slice(i * fragment, n), key);
        }
        SentDataFrames[opcode]++;
        SentDataFrames[WireOpcode.Continuation] += count - 1;
        Log.Add($"TX {WireOpcode.Name(opcode)} message of {payload.Length} bytes{(compressed ? $" ({body.Length} compressed)" : "")} in {count} frames of up to {fragment} bytes");
        _writer.Enqueue(frames);
    }

    /// <summary>Starts a message whose frames are then written piece by piece (fail-fast cases 6.4.3 and 6.4.4).</summary>
    public void BeginMessage(bool binary)
    {
        if (State != PeerState.Open) return;
        _streamOpcode = binary ? WireOpcode.Binary : WireOpcode.Text;
        _streamFirstFrame = true;
    }

    /// <summary>Writes only the header of a non-final frame of <paramref name="length"/> payload bytes.</summary>
    public void BeginMessageFrame(long length)
    {
        if (State != PeerState.Open) return;
        _streamFrameKey = IsServer ? [] : PayloadMasker.NewKey();
        var header = new byte[FrameBuilder.HeaderLength(length, !IsServer)];
        int opcode = _streamFirstFrame ? _streamOpcode : WireOpcode.Continuation;
        FrameBuilder.WriteHeader(header, fin: false, rsv: 0, opcode, length, _streamFrameKey);
        _streamFirstFrame = false;
        _streamFrameRemaining = length;
        _streamFrameOffset = 0;
        if (opcode <= 2) SentDataFrames[opcode]++;
        Log.Add($"TX {WireOpcode.Name(opcode)} fin=0 rsv=0 len={length} (header only; payload follows in pieces)");
        _writer.Enqueue(header);
    }

    /// <summary>Writes the next payload bytes of the frame begun by <see cref="BeginMessageFrame"/>.</summary>
    public void SendMessageFrameData(ReadOnlySpan<byte> data)
    {
        if (State != PeerState.Open) return;
        var piece = data[..(int)Math.Min(data.Length, _streamFrameRemaining)].ToArray();
        string preview = CaseEvent.Preview(piece);
        if (_streamFrameKey.Length > 0) PayloadMasker.Apply(piece, _streamFrameKey, _streamFrameOffset);
        _streamFrameOffset += piece.Length;
        _streamFrameRemaining -= piece.Length;
        Log.Add($"TX frame data {piece.Length} bytes {preview}");
        _writer.Enqueue(piece);
    }

    /// <summary>Ends the streamed message with an empty final continuation frame.</summary>
    public void EndMessage()
    {
        if (State != PeerState.Open) return;
        SendFrame(WireOpcode.Continuation, fin: true);
    }

    /// <summary>Starts the closing handshake; the reason is UTF-8 encoded and cut to fit 123 bytes.</summary>
    public void SendClose(int? code = null, string? reason = null) =>
        SendCloseFrame(code, reason is null ? null : TruncateUtf8(reason, 123), isReply: false);

    /// <summary>
    /// Sends a Close frame with any code and any reason bytes (even invalid ones) and moves to the closing state.
    /// Ignored once a Close was sent. When the harness starts the handshake it waits a limited time for the answer.
    /// </summary>
    public void SendCloseFrame(int? code, byte[]? reason = null, bool isReply = false)
    {
        if (State != PeerState.Open)
        {
            Log.Add($"close ({code?.ToString() ?? "no code"}) not sent: the connection is already {State.ToString().ToLowerInvariant()}");
            return;
        }
        var payload = new byte[(code is null ? 0 : 2) + (reason?.Length ?? 0)];
        if (code is int c) BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)c);
        reason?.CopyTo(payload, code is null ? 0 : 2);
        SendFrame(WireOpcode.Close, payload);
        State = PeerState.Closing;
        ClosedByMe = !isReply;
        LocalCloseCode = code;
        if (ClosedByMe)
        {
            Schedule(Options.Timeout(1), "closing handshake timeout", () =>
            {
                if (_closeReceived) return;
                WasClean = false;
                WasNotCleanReason = "the peer did not answer the Close frame in time";
                DropConnection(abort: true);
            });
        }
    }

    /// <summary>
    /// Fails the connection (RFC 6455 §7.1.7): sends a Close frame with <paramref name="code"/> and waits for the
    /// answer, or, when a Close was already sent, closes the TCP connection.
    /// </summary>
    public void FailConnection(int code = CloseCode.GoingAway, string reason = "going away")
    {
        if (State == PeerState.Closed) return;
        FailedByMe = true;
        Log.AddAlways($"FAILING CONNECTION ({code}): {reason}");
        if (State != PeerState.Closing) SendCloseFrame(code, TruncateUtf8(reason, 123), isReply: false);
        else DropConnection(abort: false);
    }

    /// <summary>Closes the TCP connection: graceful sends what is queued first, abort discards it.</summary>
    public void DropConnection(bool abort)
    {
        if (State == PeerState.Closed) return;
        DroppedByMe = true;
        State = PeerState.Closed;
        Log.AddAlways($"TCP DROPPED BY ME ({(abort ? "abort" : "after sending what is queued")})");
        _gracefulDrop = !abort;
        _writer.Close(abort);
    }

    // ---- timers -------------------------------------------------------------------------------------------------

    /// <summary>Runs <paramref name="step"/> after <paramref name="delay"/> if the connection is still there.</summary>
    public void ContinueLater(TimeSpan delay, Action step, string tag = "") => Schedule(delay, $"continue {tag}".TrimEnd(), step);

    /// <summary>Fails the connection after the (scaled) time unless it is already gone.</summary>
    public void KillAfter(double seconds) => Schedule(Options.Timeout(seconds), "kill", () => FailConnection());

    /// <summary>Starts the closing handshake after the (scaled) time unless closing already began.</summary>
    public void CloseAfter(double seconds) => Schedule(Options.Timeout(seconds), "close", () => SendClose());

    private void Schedule(TimeSpan delay, string label, Action step)
    {
        Log.AddAlways($"TIMER {label} in {delay.TotalMilliseconds:0} ms");
        _ = FireAsync();

        async Task FireAsync()
        {
            try { await Task.Delay(delay, _lifetime.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            Run(label, step);
        }
    }

    private void Run(string label, Action step, bool isTimer = true)
    {
        lock (_gate)
        {
            if (State == PeerState.Closed) return;
            if (isTimer) Log.AddAlways($"TIMER {label} fired");
            try { step(); }
            catch (Exception e)
            {
                HarnessError ??= $"{label}: {e}";
                DropConnection(abort: true);
            }
        }
    }

    // ---- receiving ----------------------------------------------------------------------------------------------

    private int ProcessGuarded(Span<byte> data)
    {
        try { return Process(data); }
        catch (Exception e)
        {
            HarnessError ??= $"processing received bytes: {e}";
            DropConnection(abort: true);
            return data.Length;
        }
    }

    private int Process(Span<byte> data)
    {
        int position = 0;
        while (State != PeerState.Closed)
        {
            if (!_inFrame)
            {
                if (!WireFrameHeader.TryParse(data[position..], out var header)) break;
                position += header.HeaderLength;
                _frame = header;
                _inFrame = true;
                _frameReceived = 0;
                if (header.Masked) header.WriteMaskKey(_frameKey);
                BeginFrame();
                if (_inFrame && _frame.PayloadLength == 0) EndFrame();
                continue;
            }
            if (position == data.Length) break;
            int take = (int)Math.Min(_frame.PayloadLength - _frameReceived, data.Length - position);
            var chunk = data.Slice(position, take);
            if (_frame.Masked) PayloadMasker.Apply(chunk, _frameKey, _frameReceived);
            _frameReceived += take;
            position += take;
            FrameData(chunk);
            if (_frameReceived == _frame.PayloadLength) EndFrame();
        }
        return position;
    }

    private void BeginFrame()
    {
        var h = _frame;
        Log.Add($"RX {h}");
        bool control = WireOpcode.IsControl(h.Opcode);
        string? violation = null;
        if (h.Rsv != 0 && !(Compression is not null && h.Rsv == 4))
            violation = $"RSV = {h.Rsv} and no extension negotiated (RFC 6455 §5.2)";
        else if (IsServer && !h.Masked)
            violation = "unmasked client-to-server frame (RFC 6455 §5.1)";
        else if (!IsServer && h.Masked)
            violation = "masked server-to-client frame (RFC 6455 §5.1)";
        else if (control)
        {
            if (!h.Fin) violation = "fragmented control frame (RFC 6455 §5.5)";
            else if (h.Length7 > 125) violation = "control frame with payload length > 125 (RFC 6455 §5.5)";
            else if (h.Opcode is not (WireOpcode.Close or WireOpcode.Ping or WireOpcode.Pong))
                violation = $"control frame using reserved opcode {h.Opcode} (RFC 6455 §5.2)";
            else if (h.Opcode == WireOpcode.Close && h.PayloadLength == 1) violation = "close frame with payload length 1 (RFC 6455 §5.5.1)";
            else if (Compression is not null && h.Rsv == 4) violation = "compressed control frame (RFC 7692 §6.1)";
        }
        else
        {
            if (h.Opcode is not (WireOpcode.Continuation or WireOpcode.Text or WireOpcode.Binary))
                violation = $"data frame using reserved opcode {h.Opcode} (RFC 6455 §5.2)";
            else if (!_insideMessage && h.Opcode == WireOpcode.Continuation)
                violation = "continuation frame outside a fragmented message (RFC 6455 §5.4)";
            else if (_insideMessage && h.Opcode != WireOpcode.Continuation)
                violation = "new data frame inside a fragmented message (RFC 6455 §5.4)";
            else if (Compression is not null && h.Rsv == 4 && _insideMessage)
                violation = "continuation frame with RSV1 set (RFC 7692 §6.1)";
        }
        if (violation is null && !h.UsesMinimalLength) violation = "payload length not in its minimal encoding (RFC 6455 §5.2)";
        if (violation is not null) ProtocolViolation(violation);

        if (control)
        {
            _control.ResetWrittenCount();
            _skipFrame = violation is not null && h.Opcode != WireOpcode.Close;
            return;
        }
        _skipFrame = violation is not null || _peerViolated;
        if (_skipFrame || h.Opcode == WireOpcode.Continuation) return;
        _insideMessage = true;
        _messageOpcode = h.Opcode;
        _messageCompressed = Compression is not null && h.Rsv == 4;
        _message.ResetWrittenCount();
        _utf8.Reset();
    }

    private void FrameData(Span<byte> chunk)
    {
        if (WireOpcode.IsControl(_frame.Opcode))
        {
            if (!_skipFrame && _control.WrittenCount + chunk.Length <= 4096) _control.Write(chunk);
            return;
        }
        if (_skipFrame) return;
        if (_message.WrittenCount + (long)chunk.Length > MaxMessageBytes)
        {
            _skipFrame = true;
            FailConnection(1009, $"message larger than the harness limit of {MaxMessageBytes} bytes");
            return;
        }
        _message.Write(chunk);
        // Validate as the bytes arrive so the harness, too, fails fast (RFC 6455 §8.1).
        if (_messageOpcode == WireOpcode.Text && !_messageCompressed && !_utf8.Feed(chunk))
        {
            _skipFrame = true;
            InvalidPayload($"invalid UTF-8 in a text message at payload byte {_utf8.Position} (RFC 6455 §8.1)");
        }
    }

    private void EndFrame()
    {
        _inFrame = false;
        if (WireOpcode.IsControl(_frame.Opcode))
        {
            if (!_skipFrame) ProcessControlFrame(_frame.Opcode, _control.WrittenSpan.ToArray());
            return;
        }
        if (_skipFrame)
        {
            if (_frame.Fin) _insideMessage = false;
            return;
        }
        if (!_frame.Fin) return;

        _insideMessage = false;
        byte[] payload = _message.WrittenSpan.ToArray();
        if (_messageCompressed)
        {
            try { payload = Compression!.Decompress(payload); }
            catch (InvalidDataException e)
            {
                InvalidPayload($"the compressed message does not inflate: {e.Message} (RFC 7692 §7.2.2)");
                return;
            }
            if (_messageOpcode == WireOpcode.Text && !Utf8StreamValidator.IsValid(payload))
            {
                InvalidPayload("invalid UTF-8 in an inflated text message (RFC 6455 §8.1)");
                return;
            }
        }
        else if (_messageOpcode == WireOpcode.Text && !_utf8.IsComplete)
        {
            InvalidPayload("a text message ends inside a UTF-8 code point (RFC 6455 §8.1)");
            return;
        }
        bool binary = _messageOpcode == WireOpcode.Binary;
        Log.Add($"RX {(binary ? "binary" : "text")} message, {payload.Length} bytes {CaseEvent.Preview(payload)}");
        if (!_peerViolated) _case.OnMessage(payload, binary);
    }

    private void ProcessControlFrame(int opcode, byte[] payload)
    {
        switch (opcode)
        {
            case WireOpcode.Close:
                OnCloseFrame(payload);
                break;
            case WireOpcode.Ping:
                Log.Add($"RX ping {CaseEvent.Preview(payload)}");
                // Answer with the same payload while open (RFC 6455 §5.5.2); not once closing has begun.
                if (!_peerViolated && State == PeerState.Open) SendFrame(WireOpcode.Pong, payload);
                break;
            case WireOpcode.Pong:
                Log.Add($"RX pong {CaseEvent.Preview(payload)}");
                if (!_peerViolated) _case.OnPong(payload);
                break;
        }
    }

    private void OnCloseFrame(byte[] payload)
    {
        _closeReceived = true;
        int? code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
        byte[]? reason = payload.Length > 2 ? payload[2..] : null;
        Log.Add($"RX close code={code?.ToString() ?? "none"} reason={(reason is null ? "none" : CaseEvent.Preview(reason))}");
        RemoteCloseCode = code;
        if (code is int c && !CloseCode.IsAllowedOnWire(c)) ProtocolViolation($"invalid close code {c} (RFC 6455 §7.4)");
        if (reason is not null)
        {
            if (Utf8StreamValidator.IsValid(reason)) RemoteCloseReason = Encoding.UTF8.GetString(reason);
            else InvalidPayload("the close reason is not UTF-8 (RFC 6455 §5.5.1)");
        }

        switch (State)
        {
            case PeerState.Closing:
                // The answer to our Close: the handshake is complete.
                WasClean = true;
                if (IsServer) DropConnection(abort: true);
                else
                {
                    // The server should close TCP first (RFC 6455 §7.1.1); give it a moment before doing it ourselves.
                    // The handshake itself stays clean: the verdict names the missing TCP close (FAILED BY CLIENT),
                    // whichever timer gets there first.
                    Schedule(Options.Timeout(1), "server connection drop timeout", () => DropConnection(abort: true));
                }
                break;
            case PeerState.Open:
                // The peer starts the closing handshake: answer with 1000.
                WasClean = true;
                SendCloseFrame(CloseCode.Normal, isReply: true);
                if (IsServer) DropConnection(abort: false);
                else Schedule(Options.Timeout(1), "server connection drop timeout", () => DropConnection(abort: false));
                break;
        }
    }

    private void ProtocolViolation(string reason)
    {
        _peerViolated = true;
        FailConnection(CloseCode.ProtocolError, reason);
    }

    private void InvalidPayload(string reason)
    {
        _peerViolated = true;
        FailConnection(CloseCode.InvalidPayload, reason);
    }

    private void OnTcpClosed(string what)
    {
        if (State == PeerState.Closed) return;
        State = PeerState.Closed;
        Log.AddAlways(what);
        if (!WasClean) WasNotCleanReason ??= "the TCP connection closed without a complete closing handshake";
        _writer.Close(abort: true);
    }

    private async Task DrainUntilPeerClosesAsync(byte[] buffer)
    {
        // After a graceful drop, read (and ignore) until the peer's FIN so closing our socket does not reset the
        // connection while our last frames may still be unread.
        using var limit = new CancellationTokenSource(Options.Timeout(1));
        try
        {
            await _writer.Completion.WaitAsync(limit.Token).ConfigureAwait(false);
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token).ConfigureAwait(false) > 0) { }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    private static byte[] TruncateUtf8(string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes) return bytes;
        int cut = maxBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) cut--;
        return bytes[..cut];
    }
}
