using System.Net.Sockets;
using System.Threading.Channels;

namespace Wirehub.Conformance.Tests.Engine;

/// <summary>
/// The single writer of a connection. Callers only enqueue, so a case can queue a 16 MiB frame while the receive
/// loop keeps reading the echo and answering pings; nothing that processes incoming frames ever waits on the socket.
/// Chunks marked separate go out in their own send call (a "chop" or a frame-wise "sync" write); adjacent ordinary
/// chunks are gathered into one send, the way a buffered transport coalesces consecutive writes.
/// </summary>
internal sealed class SocketWriter
{
    private const int GatherLimit = 256 * 1024;

    private readonly Socket _socket;
    private readonly Channel<Chunk> _chunks = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _run;
    private int _finished;

    public SocketWriter(Socket socket)
    {
        _socket = socket;
        _run = Task.Run(RunAsync);
    }

    /// <summary>Completes when writing has ended: after a graceful close once everything queued was sent.</summary>
    public Task Completion => _run;

    /// <summary>Set when a send failed, e.g. because the peer reset the connection.</summary>
    public string? Failure { get; private set; }

    public void Enqueue(ReadOnlyMemory<byte> data, bool separate = false)
    {
        if (data.IsEmpty || Volatile.Read(ref _finished) != 0) return;
        _chunks.Writer.TryWrite(new Chunk(data, separate, Close: false));
    }

    /// <summary>Splits <paramref name="data"/> into writes of at most <paramref name="chopSize"/> bytes each.</summary>
    public void EnqueueChopped(ReadOnlyMemory<byte> data, int chopSize)
    {
        for (int offset = 0; offset < data.Length; offset += chopSize)
            Enqueue(data.Slice(offset, Math.Min(chopSize, data.Length - offset)), separate: true);
    }

    /// <summary>
    /// Ends the connection: graceful sends the queued bytes and then a FIN (the owner closes the socket once the
    /// peer has closed its side too); abort closes the socket at once, discarding what is queued.
    /// </summary>
    public void Close(bool abort)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        if (abort)
        {
            _chunks.Writer.TryComplete();
            CloseSocket();
        }
        else
        {
            _chunks.Writer.TryWrite(new Chunk(default, Separate: true, Close: true));
            _chunks.Writer.TryComplete();
        }
    }

    private async Task RunAsync()
    {
        var gather = new List<ArraySegment<byte>>();
        try
        {
            while (await _chunks.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_chunks.Reader.TryRead(out var chunk))
                {
                    if (chunk.Close)
                    {
                        // Half-close so the peer reads our last bytes and then a FIN (RFC 6455 §7.1.1).
                        try { _socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { } catch (ObjectDisposedException) { }
                        return;
                    }
                    if (chunk.Separate)
                    {
                        await SendAllAsync(chunk.Data).ConfigureAwait(false);
                        continue;
                    }
                    gather.Clear();
                    gather.Add(Segment(chunk.Data));
                    int total = chunk.Data.Length;
                    while (total < GatherLimit && _chunks.Reader.TryPeek(out var next) && !next.Separate && !next.Close)
                    {
                        _chunks.Reader.TryRead(out next);
                        gather.Add(Segment(next.Data));
                        total += next.Data.Length;
                    }
                    if (gather.Count == 1) await SendAllAsync(chunk.Data).ConfigureAwait(false);
                    else await SendGatheredAsync(gather).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Failure ??= $"{e.GetType().Name}: {e.Message}";
            CloseSocket();
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private async Task SendGatheredAsync(List<ArraySegment<byte>> segments)
    {
        int total = segments.Sum(s => s.Count);
        int sent = await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
        if (sent == total) return;
        // A partial gathered send is rare; finish the rest segment by segment.
        foreach (var segment in segments)
        {
            if (sent >= segment.Count)
            {
                sent -= segment.Count;
                continue;
            }
            await SendAllAsync(segment.AsMemory(sent)).ConfigureAwait(false);
            sent = 0;
        }
    }

    private static ArraySegment<byte> Segment(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? segment
            : new ArraySegment<byte>(data.ToArray());

    private void CloseSocket()
    {
        try { _socket.Close(); } catch (ObjectDisposedException) { }
    }

    private readonly record struct Chunk(ReadOnlyMemory<byte> Data, bool Separate, bool Close);
}
