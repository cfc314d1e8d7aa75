using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace Wirehub.Cli.Bench;

/// <summary>
/// Non-blocking IPv4 TCP sockets as bare descriptors (socket(2), connect(2), send(2), recv(2)), for the handshake
/// scenario: it opens thousands of connections a second, and a <see cref="System.Net.Sockets.Socket"/> would add an
/// object, a registration with the runtime's own epoll thread and, for a non-blocking connect, an exception to each.
/// </summary>
internal static unsafe partial class LibcSocket
{
    /// <summary>errno for "try again" (EAGAIN, EWOULDBLOCK).</summary>
    public const int WouldBlock = 11;

    /// <summary>errno for a non-blocking connect still under way.</summary>
    public const int InProgress = 115;

    private const int AddressFamilyInet = 2;
    private const int StreamType = 1;
    private const int NonBlockingFlag = 0x800;
    private const int CloseOnExecFlag = 0x80000;
    private const int TcpLevel = 6;
    private const int NoDelayOption = 1;
    private const int SocketLevel = 1;
    private const int ErrorOption = 4;

    // A peer that closed must fail a send with EPIPE, not kill the process with SIGPIPE.
    private const int NoSignalFlag = 0x4000;

    /// <summary>A sockaddr_in for <paramref name="endPoint"/> (16 bytes: family, port and address in network order).</summary>
    public static byte[] CreateAddress(IPEndPoint endPoint)
    {
        byte[] address = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(address, AddressFamilyInet);
        BinaryPrimitives.WriteUInt16BigEndian(address.AsSpan(2), (ushort)endPoint.Port);
        endPoint.Address.TryWriteBytes(address.AsSpan(4), out _);
        return address;
    }

    /// <summary>Opens a non-blocking TCP socket with Nagle off and starts connecting; returns the descriptor.</summary>
    /// <exception cref="IOException">The socket could not be created or the connect failed at once.</exception>
    public static int StartConnect(byte[] address)
    {
        int fd = CreateSocket(AddressFamilyInet, StreamType | NonBlockingFlag | CloseOnExecFlag, 0);
        if (fd < 0)
        {
            throw new IOException(
                $"socket() failed with errno {Marshal.GetLastPInvokeError()}; if it is 24, raise the open-files limit (ulimit -n).");
        }

        int one = 1;
        SetOption(fd, TcpLevel, NoDelayOption, &one, sizeof(int));
        fixed (byte* pointer = address)
        {
            if (Connect(fd, pointer, (uint)address.Length) < 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error != InProgress)
                {
                    Close(fd);
                    throw new IOException($"connect() failed with errno {error}; is the server listening?");
                }
            }
        }

        return fd;
    }

    /// <summary>The outcome of a finished non-blocking connect: 0 or an errno.</summary>
    public static int ConnectResult(int fd)
    {
        int error = 0;
        uint length = sizeof(int);
        return GetOption(fd, SocketLevel, ErrorOption, &error, &length) < 0 ? Marshal.GetLastPInvokeError() : error;
    }

    /// <summary>Sends what the kernel takes; returns the count, or minus the errno.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            nint sent = SendBytes(fd, pointer, (nuint)data.Length, NoSignalFlag);
            return sent >= 0 ? (int)sent : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Receives what is waiting; returns the count (0 at end of stream), or minus the errno.</summary>
    public static int Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            nint read = ReceiveBytes(fd, pointer, (nuint)buffer.Length, 0);
            return read >= 0 ? (int)read : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Closes the descriptor, which also takes it out of any epoll set.</summary>
    public static void Close(int fd) => CloseDescriptor(fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int CreateSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetOption(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetOption(int fd, int level, int name, void* value, uint* length);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int Connect(int fd, byte* address, uint length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendBytes(int fd, byte* data, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint ReceiveBytes(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int fd);
}
