using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Wirehub.Protocol;

namespace Wirehub.WebSockets;

/// <summary>
/// A WebSocket client shaped like the browser's WebSocket: <see cref="Url"/>, <see cref="ReadyState"/>,
/// <see cref="Protocol"/>, <see cref="Extensions"/>, <see cref="BufferedAmount"/>, <see cref="BinaryType"/>, the
/// open/message/error/close events (<see cref="Opened"/>, <see cref="MessageReceived"/>, <see cref="Error"/>,
/// <see cref="Closed"/>), <see cref="Send(string)"/> and <see cref="Close"/>; plus async methods for
/// await-style code. Supports ws:// and wss:// (TLS with SNI and certificate validation), and offers
/// permessage-deflate by default.
/// </summary>
/// <remarks>
/// Messages are delivered one way or the other: if a <see cref="MessageReceived"/> handler is attached when the connection
/// opens, a receive loop raises the event for each message; otherwise read them with <see cref="ReceiveAsync"/> or
/// <see cref="ReceiveAllAsync"/>. Either way the closing handshake and pings are handled while receiving.
/// </remarks>
public sealed class WebSocketClient : IAsyncDisposable
{
    private readonly WebSocketClientOptions _options;
    private WebSocketConnection? _connection;
    private Socket? _socket;
    private Stream? _stream;
    private int _readyState = (int)WebSocketState.Connecting;
    private int _closeRaised;
    private Task? _pump;

    /// <summary>Prepares a client for <paramref name="url"/>; nothing is sent until <see cref="ConnectAsync"/>.</summary>
    /// <param name="url">A ws:// or wss:// URL (http:// and https:// are accepted as their WebSocket equivalents).</param>
    /// <param name="options">Subprotocols, headers, TLS and limits; not copied.</param>
    public WebSocketClient(Uri url, WebSocketClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("ws" or "wss" or "http" or "https"))
            throw new ArgumentException($"'{url}' is not a WebSocket URL: use ws://host[:port]/path or wss://...", nameof(url));
        if (!string.IsNullOrEmpty(url.Fragment))
            throw new ArgumentException("A WebSocket URL must not have a fragment (RFC 6455 §3).", nameof(url));
        Url = url;
        _options = options ?? new WebSocketClientOptions();
    }

    /// <summary>Prepares a client for <paramref name="url"/> offering the given subprotocols.</summary>
    public WebSocketClient(string url, params string[] protocols) : this(new Uri(url), WithProtocols(protocols))
    {
    }

    /// <summary>The URL this client connects to.</summary>
    public Uri Url { get; }

    /// <summary>Connecting, open, closing or closed.</summary>
    public WebSocketState ReadyState => _connection is { } c && Volatile.Read(ref _readyState) == (int)WebSocketState.Open
        ? c.State : (WebSocketState)Volatile.Read(ref _readyState);

    /// <summary>The subprotocol the server chose, or an empty string.</summary>
    public string Protocol => _connection?.SubProtocol ?? "";

    /// <summary>The extensions the server accepted, as a Sec-WebSocket-Extensions value, or an empty string.</summary>
    public string Extensions => _connection?.Extensions ?? "";

    /// <summary>Bytes sent but not yet handed to the network.</summary>
    public long BufferedAmount => _connection?.BufferedAmount ?? 0;

    /// <summary>How binary messages appear in <see cref="MessageEventArgs.Data"/>.</summary>
    public BinaryType BinaryType { get; set; } = BinaryType.ByteArray;

    /// <summary>The close code once closed, else null.</summary>
    public ushort? CloseStatus => _connection?.CloseStatus;

    /// <summary>The close reason once closed (the peer's, or why the connection failed), else null.</summary>
    public string? CloseReason => _connection?.CloseReason;

    /// <summary>The connection opened.</summary>
    public event EventHandler? Opened;

    /// <summary>A message arrived (only when a handler is attached before the connection opens).</summary>
    public event EventHandler<MessageEventArgs>? MessageReceived;

    /// <summary>Something went wrong (a refused handshake, a failed send, a protocol error).</summary>
    public event EventHandler<WebSocketErrorEventArgs>? Error;

    /// <summary>The connection closed, cleanly or not.</summary>
    public event EventHandler<CloseEventArgs>? Closed;

    /// <summary>
    /// Connects, performs the opening handshake (RFC 6455 §4.1) and raises <see cref="Opened"/>.
    /// </summary>
    /// <exception cref="WebSocketHandshakeException">The server refused or botched the handshake; carries the status code.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _readyState, (int)WebSocketState.Connecting, (int)WebSocketState.Connecting) != (int)WebSocketState.Connecting || _socket is not null)
            throw new InvalidOperationException("ConnectAsync can be called once per client; create a new client to reconnect.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            _connection = await HandshakeAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _readyState, (int)WebSocketState.Closed);
            _stream?.Dispose();
            _socket?.Dispose();
            var error = ex switch
            {
                OperationCanceledException when !cancellationToken.IsCancellationRequested =>
                    new WebSocketHandshakeException($"Connecting to {Url} timed out after {_options.HandshakeTimeout.TotalSeconds:0.#} s.", ex),
                SocketException or IOException or AuthenticationException =>
                    new WebSocketHandshakeException($"Could not connect to {Url}: {ex.Message}", ex),
                _ => ex,
            };
            RaiseError(error);
            RaiseClose(CloseCode.AbnormalClosure, error.Message, wasClean: false);
            if (ReferenceEquals(error, ex)) throw;
            throw error;
        }
        Volatile.Write(ref _readyState, (int)WebSocketState.Open);
        Opened?.Invoke(this, EventArgs.Empty);
        if (MessageReceived is not null) _pump = PumpAsync();
    }

    private async Task<WebSocketConnection> HandshakeAsync(CancellationToken cancellationToken)
    {
        bool secure = Url.Scheme is "wss" or "https";
        int port = Url.IsDefaultPort ? (secure ? 443 : 80) : Url.Port;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        EndPoint endPoint = IPAddress.TryParse(Url.IdnHost.Trim('[', ']'), out var address)
            ? new IPEndPoint(address, port) : new DnsEndPoint(Url.IdnHost, port);
        await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (secure)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            stream = ssl;
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = Url.IdnHost, // SNI and the name the certificate must carry
                RemoteCertificateValidationCallback = _options.RemoteCertificateValidationCallback,
            }, cancellationToken).ConfigureAwait(false);
        }
        _stream = stream;
        // The pipe owns the stream: once the closing handshake is over the engine completes it, which closes the
        // socket (RFC 6455 §7.1.1), instead of leaving it open until the client is disposed.
        var pipe = new StreamDuplexPipe(stream, ownsStream: true);
        var key = HandshakeKey.CreateClientKey();
        var deflateOptions = _options.PerMessageDeflate;
        var request = new ClientHandshakeRequest
        {
            Uri = Url,
            Key = key,
            Subprotocols = (IReadOnlyList<string>)_options.Subprotocols,
            Extensions = deflateOptions is null ? null : PerMessageDeflateNegotiator.CreateOffer(deflateOptions),
            Origin = _options.Origin,
            Headers = (IReadOnlyList<KeyValuePair<string, string>>)_options.Headers,
        };
        request.WriteTo(pipe.Output);
        await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);

        HttpResponseHead head;
        while (true)
        {
            var result = await pipe.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var status = HttpResponseHead.TryRead(result.Buffer, _options.MaxHandshakeResponseBytes, out var parsed, out var consumed);
            if (status == HttpHeadReadStatus.Complete)
            {
                pipe.Input.AdvanceTo(consumed);
                head = parsed!;
                break;
            }
            pipe.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (status == HttpHeadReadStatus.TooLarge)
                throw new WebSocketHandshakeException($"The server's handshake response exceeds {_options.MaxHandshakeResponseBytes} bytes.");
            if (status == HttpHeadReadStatus.Malformed)
                throw new WebSocketHandshakeException("The server's handshake response is not valid HTTP/1.1.");
            if (result.IsCompleted)
                throw new WebSocketHandshakeException("The server closed the connection before completing the handshake.");
        }
        if (head.StatusCode != 101)
        {
            string? body = await ReadShortBodyAsync(pipe.Input, head, cancellationToken).ConfigureAwait(false);
            throw new WebSocketHandshakeException(head.StatusCode, head.ReasonPhrase, body);
        }
        string? error = ClientHandshakeValidator.Validate(head, key, (IReadOnlyList<string>)_options.Subprotocols, out var subProtocol, out var extensions);
        if (error is not null) throw new WebSocketHandshakeException(error);
        PerMessageDeflateParameters? agreed = null;
        if (deflateOptions is not null)
        {
            error = PerMessageDeflateNegotiator.ValidateResponse(extensions, deflateOptions, out agreed);
            if (error is not null) throw new WebSocketHandshakeException(error);
        }
        else if (!string.IsNullOrWhiteSpace(extensions))
        {
            throw new WebSocketHandshakeException($"The server accepted extensions that were not offered: {extensions}.");
        }
        return WebSocketConnection.Create(pipe, WebSocketRole.Client, _options, subProtocol, agreed, AbortSocket);
    }

    /// <summary>
    /// Reads up to 1 KiB of a refusal's body (sized by Content-Length or chunked), so the exception can carry the
    /// server's reason.
    /// </summary>
    private static async Task<string?> ReadShortBodyAsync(PipeReader input, HttpResponseHead head, CancellationToken cancellationToken)
    {
        const int MaxBody = 1024;
        bool chunked = head.GetHeader("Transfer-Encoding") is { } coding && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        int length = 0;
        if (!chunked && (!int.TryParse(head.GetHeader("Content-Length"), out length) || length <= 0)) return null;
        length = Math.Min(length, MaxBody);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (chunked)
                {
                    var status = ChunkedBody.TryDecode(result.Buffer, MaxBody, out var decoded);
                    // Give up on a body that will not come: malformed, ended, or far more raw bytes than a reason needs.
                    if (status != HttpHeadReadStatus.NeedMoreData || result.IsCompleted || result.Buffer.Length > 16 * MaxBody)
                    {
                        input.AdvanceTo(result.Buffer.End);
                        return status == HttpHeadReadStatus.Malformed ? null : System.Text.Encoding.UTF8.GetString(decoded).Trim();
                    }
                }
                else if (result.Buffer.Length >= length || result.IsCompleted)
                {
                    var body = result.Buffer.Slice(0, Math.Min(length, result.Buffer.Length));
                    string text = System.Text.Encoding.UTF8.GetString(body.ToArray()).Trim();
                    input.AdvanceTo(body.End);
                    return text;
                }
                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return null;
        }
    }

    private void AbortSocket()
    {
        try { _socket?.Dispose(); } catch (ObjectDisposedException) { }
    }

    private WebSocketConnection Connection => _connection ?? throw new InvalidOperationException(
        "The WebSocket is not open yet: await ConnectAsync first.");

    /// <summary>Queues a text message, as the browser's send(): returns at once; failures raise <see cref="Error"/>.</summary>
    public void Send(string text)
    {
        var connection = Connection;
        try { Observe(connection.SendTextAsync(text)); }
        catch (Exception ex) when (ex is WebSocketClosedException or WebSocketSendQueueFullException) { RaiseError(ex); }
    }

    /// <summary>Queues a binary message, as the browser's send().</summary>
    public void Send(byte[] data)
    {
        var connection = Connection;
        try { Observe(connection.SendAsync(data, MessageType.Binary)); }
        catch (Exception ex) when (ex is WebSocketClosedException or WebSocketSendQueueFullException) { RaiseError(ex); }
    }

    /// <summary>Sends a text message.</summary>
    public ValueTask SendAsync(string text, CancellationToken cancellationToken = default) => Connection.SendTextAsync(text, cancellationToken);

    /// <summary>Sends a message, or a fragment of one when <paramref name="endOfMessage"/> is false.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, MessageType type = MessageType.Binary, bool endOfMessage = true,
        CancellationToken cancellationToken = default) => Connection.SendAsync(data, type, endOfMessage, cancellationToken);

    /// <summary>Sends a ping.</summary>
    public ValueTask PingAsync(ReadOnlyMemory<byte> payload = default, CancellationToken cancellationToken = default) =>
        Connection.PingAsync(payload, cancellationToken);

    /// <summary>Receives the next whole message (valid until the next receive), or a Close message once closed.</summary>
    public async ValueTask<WebSocketMessage> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (_pump is not null) throw new InvalidOperationException("Messages are delivered through the Message event on this client; do not also receive them.");
        var message = await Connection.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (message.IsClose) RaiseClosed();
        return message;
    }

    /// <summary>Receives whole messages until the connection closes.</summary>
    public async IAsyncEnumerable<WebSocketMessage> ReceiveAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var message = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (message.IsClose) yield break;
            yield return message;
        }
    }

    /// <summary>Starts the closing handshake, as the browser's close(): returns at once; <see cref="Closed"/> follows.</summary>
    /// <param name="code">1000, or 3000-4999 for applications (other codes valid on the wire are accepted too).</param>
    /// <param name="reason">At most 123 bytes of UTF-8.</param>
    public void Close(ushort code = CloseCode.NormalClosure, string? reason = null)
    {
        if (_connection is null)
        {
            AbortBeforeOpen();
            return;
        }
        Observe(_connection.CloseOutputAsync(code, reason));
        if (_pump is null) _ = CloseAsync(code, reason);
    }

    /// <summary>Closes with a closing handshake and waits for it to finish (bounded by the close timeout).</summary>
    public async Task CloseAsync(ushort code = CloseCode.NormalClosure, string? reason = null, CancellationToken cancellationToken = default)
    {
        if (_connection is null)
        {
            AbortBeforeOpen();
            return;
        }
        if (_pump is not null)
        {
            await _connection.CloseOutputAsync(code, reason).ConfigureAwait(false);
            await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await _connection.CloseAsync(code, reason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_connection.State == WebSocketState.Closed) RaiseClosed();
        }
    }

    private void AbortBeforeOpen()
    {
        Volatile.Write(ref _readyState, (int)WebSocketState.Closed);
        _socket?.Dispose();
    }

    /// <summary>Aborts the connection if open and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (_pump is not null) await _pump.ConfigureAwait(false);
            RaiseClosed();
        }
        _stream?.Dispose();
        _socket?.Dispose();
        Volatile.Write(ref _readyState, (int)WebSocketState.Closed);
    }

    private async Task PumpAsync()
    {
        await Task.Yield();
        var connection = _connection!;
        try
        {
            while (true)
            {
                var message = await connection.ReceiveAsync().ConfigureAwait(false);
                if (message.IsClose) break;
                object data = message.Type == MessageType.Text ? message.GetString()
                    : BinaryType == BinaryType.Stream ? new MemoryStream(message.ToArray(), writable: false) : message.ToArray();
                try
                {
                    MessageReceived?.Invoke(this, new MessageEventArgs(message.Type, data));
                }
                catch (Exception ex)
                {
                    RaiseError(ex);
                }
            }
        }
        catch (Exception ex)
        {
            RaiseError(ex);
            connection.Abort();
        }
        RaiseClosed();
    }

    private void RaiseClosed()
    {
        var connection = _connection;
        if (connection is null) return;
        ushort code = connection.CloseStatus ?? CloseCode.AbnormalClosure;
        if (connection.FailedLocally)
            RaiseError(new WebSocketProtocolException(code, connection.CloseReason ?? ""));
        RaiseClose(code, connection.CloseReason ?? "", wasClean: code != CloseCode.AbnormalClosure);
    }

    private void RaiseClose(ushort code, string reason, bool wasClean)
    {
        if (Interlocked.Exchange(ref _closeRaised, 1) != 0) return;
        Volatile.Write(ref _readyState, (int)WebSocketState.Closed);
        Closed?.Invoke(this, new CloseEventArgs(code, reason, wasClean));
    }

    private void RaiseError(Exception exception) => Error?.Invoke(this, new WebSocketErrorEventArgs(exception));

    private void Observe(ValueTask send)
    {
        if (send.IsCompletedSuccessfully) return;
        _ = ObserveAsync(send.AsTask());
    }

    private async Task ObserveAsync(Task send)
    {
        try { await send.ConfigureAwait(false); }
        catch (Exception ex) { RaiseError(ex); }
    }

    private static WebSocketClientOptions WithProtocols(string[] protocols)
    {
        var options = new WebSocketClientOptions();
        foreach (var protocol in protocols) options.Subprotocols.Add(protocol);
        return options;
    }
}
