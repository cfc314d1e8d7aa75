using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>
/// A plain TCP connection that speaks HTTP/1.1 by hand, so a test sees the exact status line, headers and body, and
/// can go on to exchange raw frames after a 101.
/// </summary>
internal sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _buffered = [];

    private RawHttpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>The RFC 6455 §1.3 sample key; its accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.</summary>
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    public static async Task<RawHttpConnection> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        return new RawHttpConnection(client);
    }

    /// <summary>A valid upgrade request for <paramref name="path"/>, with extra header lines appended.</summary>
    public static string UpgradeRequest(int port, string path = "/ws", params string[] extraHeaders) =>
        $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {SampleKey}\r\nSec-WebSocket-Version: 13\r\n" +
        string.Concat(extraHeaders.Select(h => h + "\r\n")) + "\r\n";

    public async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends a request and reads the whole response, body included (Content-Length, chunked or to end of stream).</summary>
    public async Task<RawHttpResponse> ExchangeAsync(string request)
    {
        await SendAsync(request);
        var head = await ReadHeadAsync();
        return head with { Body = await ReadBodyAsync(head) };
    }

    /// <summary>Reads a response head, leaving whatever follows it (a body, or frames after a 101) unread.</summary>
    public async Task<RawHttpResponse> ReadHeadAsync()
    {
        int end;
        while ((end = IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync()) throw new EndOfStreamException($"The server closed the connection after {_buffered.Count} bytes, before the end of the response head.");
        }
        var lines = Encoding.ASCII.GetString(Take(end + 4).ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = lines[0].Split(' ', 3);
        var headers = lines.Skip(1).Select(line =>
        {
            int colon = line.IndexOf(':');
            return KeyValuePair.Create(line[..colon], line[(colon + 1)..].Trim());
        }).ToList();
        return new RawHttpResponse(status[0], int.Parse(status[1]), status.Length > 2 ? status[2] : "", headers, "");
    }

    /// <summary>Reads bytes after the head: at least <paramref name="count"/> of them.</summary>
    public async Task<byte[]> ReadBytesAsync(int count)
    {
        while (_buffered.Count < count)
        {
            if (!await FillAsync()) throw new EndOfStreamException($"The server closed the connection with {_buffered.Count} of {count} bytes read.");
        }
        return Take(count).ToArray();
    }

    /// <summary>Reads one frame the server sent after the handshake.</summary>
    public async Task<ReceivedFrame> ReadFrameAsync()
    {
        while (true)
        {
            var sequence = new System.Buffers.ReadOnlySequence<byte>(_buffered.ToArray());
            var rest = sequence;
            if (WireFrameParser.TryParse(ref rest, out var frame))
            {
                Take((int)(sequence.Length - rest.Length));
                return frame;
            }
            if (!await FillAsync()) throw new EndOfStreamException("The server closed the connection before a whole frame arrived.");
        }
    }

    /// <summary>True once the server has closed the connection (and every byte it sent has been read).</summary>
    public async Task<bool> ServerClosedAsync()
    {
        while (_buffered.Count == 0)
        {
            if (!await FillAsync()) return true;
        }
        return false;
    }

    private async Task<string> ReadBodyAsync(RawHttpResponse head)
    {
        if (head.Header("Content-Length") is { } length)
            return Encoding.UTF8.GetString(await ReadBytesAsync(int.Parse(length)));
        if (string.Equals(head.Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new List<byte>();
            while (true)
            {
                int lineEnd;
                while ((lineEnd = IndexOf("\r\n"u8)) < 0)
                {
                    if (!await FillAsync()) throw new EndOfStreamException("The chunked body ended early.");
                }
                int size = Convert.ToInt32(Encoding.ASCII.GetString(Take(lineEnd + 2).ToArray()).Trim().Split(';')[0], 16);
                body.AddRange(await ReadBytesAsync(size));
                await ReadBytesAsync(2);
                if (size == 0) return Encoding.UTF8.GetString(body.ToArray());
            }
        }
        while (await FillAsync())
        {
        }
        return Encoding.UTF8.GetString(Take(_buffered.Count).ToArray());
    }

    private async Task<bool> FillAsync()
    {
        var chunk = new byte[4096];
        using var timeout = new CancellationTokenSource(RawPeer.Patience);
        int read;
        try
        {
            read = await _stream.ReadAsync(chunk, timeout.Token);
        }
        catch (IOException)
        {
            return false; // a reset counts as the end of the connection
        }
        _buffered.AddRange(chunk.AsSpan(0, read));
        return read > 0;
    }

    private int IndexOf(ReadOnlySpan<byte> marker) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_buffered).IndexOf(marker);

    private List<byte> Take(int count)
    {
        var taken = _buffered.GetRange(0, count);
        _buffered.RemoveRange(0, count);
        return taken;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return default;
    }
}
