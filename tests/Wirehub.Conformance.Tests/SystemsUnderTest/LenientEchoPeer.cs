using System.Net;
using System.Net.Sockets;
using System.Text;
using Wirehub.Conformance.Tests.Wire;

namespace Wirehub.Conformance.Tests.SystemsUnderTest;

/// <summary>
/// A deliberately sloppy WebSocket echo endpoint, server or client, used to prove that the harness fails what it
/// should: it validates nothing unless told to, and each <see cref="Faults"/> flag switches on one known bad habit.
/// </summary>
internal sealed class LenientEchoPeer
{
    [Flags]
    public enum Faults
    {
        None = 0,
        /// <summary>Never answers pings.</summary>
        IgnorePings = 1,
        /// <summary>Echoes text messages as binary.</summary>
        EchoTextAsBinary = 2,
        /// <summary>As a server, keeps TCP open after the closing handshake (the client must close it).</summary>
        KeepTcpOpenAfterClose = 4,
        /// <summary>Closes TCP without a Close frame when a frame has RSV bits set.</summary>
        DropOnReservedBits = 8,
        /// <summary>Checks UTF-8 only once a text message is complete, then fails with 1007.</summary>
        ValidateUtf8AtMessageEnd = 16,
        /// <summary>Never answers a Close frame.</summary>
        IgnoreClose = 32,
        /// <summary>Reads everything and sends nothing back: a hung peer.</summary>
        Silent = 64,
    }

    private readonly Socket _socket;
    private readonly bool _isServer;
    private readonly Faults _faults;

    private LenientEchoPeer(Socket socket, bool isServer, Faults faults)
    {
        _socket = socket;
        _isServer = isServer;
        _faults = faults;
    }

    /// <summary>Serves one connection at a time on a free loopback port until disposed.</summary>
    public static (Uri Url, IAsyncDisposable Stop) StartServer(Faults faults)
    {
        var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var stopping = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                Socket connection;
                try { connection = await listener.AcceptAsync(stopping.Token); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
                _ = Task.Run(async () =>
                {
                    using (connection)
                    {
                        var (head, leftover) = await HttpHead.ReadAsync(connection, stopping.Token);
                        string response = OpeningHandshake.BuildResponse(head["Sec-WebSocket-Key"]!, extensions: null);
                        await connection.SendAsync(Encoding.ASCII.GetBytes(response));
                        await new LenientEchoPeer(connection, isServer: true, faults).EchoAsync(leftover, stopping.Token);
                    }
                });
            }
        });
        var url = new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/");
        return (url, new Stopper(async () =>
        {
            await stopping.CancelAsync();
            listener.Dispose();
            await serving;
        }));
    }

    /// <summary>Connects to a case URL as a client and echoes until the connection ends.</summary>
    public static async Task RunClientAsync(Uri url, Faults faults, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(url.Host, url.Port, cancellationToken);
        string key = OpeningHandshake.NewKey();
        await socket.SendAsync(Encoding.ASCII.GetBytes(OpeningHandshake.BuildRequest(url, key, extensions: null)), cancellationToken);
        var (_, leftover) = await HttpHead.ReadAsync(socket, cancellationToken);
        await new LenientEchoPeer(socket, isServer: false, faults).EchoAsync(leftover, cancellationToken);
    }

    private async Task EchoAsync(byte[] leftover, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        leftover.CopyTo(buffer, 0);
        int filled = leftover.Length;
        var message = new List<byte>();
        int messageOpcode = 0;
        try
        {
            while (true)
            {
                while (WireFrameHeader.TryParse(buffer.AsSpan(0, filled), out var header) && filled >= header.HeaderLength + header.PayloadLength)
                {
                    var payload = buffer.AsSpan(header.HeaderLength, (int)header.PayloadLength).ToArray();
                    if (header.Masked)
                    {
                        var key = new byte[4];
                        header.WriteMaskKey(key);
                        PayloadMasker.Apply(payload, key);
                    }
                    int consumed = header.HeaderLength + (int)header.PayloadLength;
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;

                    if (header.Rsv != 0 && Has(Faults.DropOnReservedBits)) return;
                    if (Has(Faults.Silent)) continue;
                    switch (header.Opcode)
                    {
                        case WireOpcode.Ping:
                            if (!Has(Faults.IgnorePings)) await SendAsync(WireOpcode.Pong, payload);
                            break;
                        case WireOpcode.Close:
                            if (Has(Faults.IgnoreClose)) break;
                            await SendAsync(WireOpcode.Close, payload.Length >= 2 ? payload[..2] : payload);
                            if (!_isServer || !Has(Faults.KeepTcpOpenAfterClose)) return;
                            break;
                        case WireOpcode.Pong:
                            break;
                        default:
                            if (header.Opcode != WireOpcode.Continuation) messageOpcode = header.Opcode;
                            message.AddRange(payload);
                            if (!header.Fin) break;
                            byte[] whole = [.. message];
                            message.Clear();
                            if (messageOpcode == WireOpcode.Text && Has(Faults.ValidateUtf8AtMessageEnd) && !Utf8StreamValidator.IsValid(whole))
                            {
                                await SendAsync(WireOpcode.Close, [0x03, 0xEF]);
                                return;
                            }
                            await SendAsync(messageOpcode == WireOpcode.Text && Has(Faults.EchoTextAsBinary) ? WireOpcode.Binary : messageOpcode, whole);
                            break;
                    }
                }
                int read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (read == 0) return;
                filled += read;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private bool Has(Faults fault) => (_faults & fault) != 0;

    private async Task SendAsync(int opcode, byte[] payload) =>
        await _socket.SendAsync(FrameBuilder.Build(opcode, payload, masked: !_isServer), SocketFlags.None);

    private sealed class Stopper(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop();
    }
}
