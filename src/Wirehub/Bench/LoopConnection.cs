using System.Net.Sockets;

namespace Wirehub.Cli.Bench;

/// <summary>
/// A non-blocking socket served by a <see cref="SocketEventLoop"/>: the loop calls it when the socket is readable or
/// writable, always on the loop's thread, so its state needs no locks.
/// </summary>
internal abstract class LoopConnection
{
    protected LoopConnection(Socket socket)
    {
        socket.Blocking = false;
        Socket = socket;
    }

    public Socket Socket { get; }

    /// <summary>The loop serving this connection, once added to one.</summary>
    public SocketEventLoop? Loop { get; set; }

    /// <summary>This connection's number in its loop.</summary>
    public int Token { get; set; }

    /// <summary>Why the connection stopped before the end of the run, if it did.</summary>
    public string? Failure { get; private set; }

    public abstract void OnReadable();

    public virtual void OnWritable()
    {
    }

    /// <summary>Records why the connection failed; the loop stops serving it.</summary>
    public void Fail(Exception exception) => Failure ??= exception.Message;

    /// <summary>Asks the loop to report writability too (while a send is incomplete) or no longer.</summary>
    protected void WatchWritable(bool watch) => Loop!.Watch(this, watch);

    /// <summary>One non-blocking receive; 0 bytes when nothing is waiting.</summary>
    /// <exception cref="BenchFailure">The server closed the connection.</exception>
    protected int Receive(Span<byte> buffer)
    {
        int read = Socket.Receive(buffer, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            return 0;
        }

        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }

        return read != 0 ? read : throw new BenchFailure(BenchErrorKind.Closed, "The server closed the connection in the middle of the run.");
    }

    /// <summary>One non-blocking send; returns how many bytes the kernel took, possibly 0.</summary>
    protected int Send(ReadOnlySpan<byte> data)
    {
        int sent = Socket.Send(data, SocketFlags.None, out SocketError error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => throw new SocketException((int)error),
        };
    }
}
