using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wirehub.WebSockets;

/// <summary>
/// The Linux calls the event-loop transport makes on bare descriptors: epoll(7), accept4(2), recv(2), sendmsg(2),
/// shutdown(2), close(2) and eventfd(2). Errors come back as errno values; the callers decide what each one means.
/// </summary>
internal static unsafe partial class LinuxSockets
{
    public const uint ReadableEvent = 0x001;
    public const uint WritableEvent = 0x004;
    public const uint ErrorEvent = 0x008;
    public const uint HangUpEvent = 0x010;

    public const int TryAgain = 11;        // EAGAIN / EWOULDBLOCK
    public const int Interrupted = 4;      // EINTR
    public const int TooManyFiles = 24;    // EMFILE: this process's descriptor limit
    public const int FileTableFull = 23;   // ENFILE: the system's
    public const int NoBuffers = 105;      // ENOBUFS
    public const int NoMemory = 12;        // ENOMEM

    public const int ShutdownWrite = 1;
    public const int ShutdownBoth = 2;

    private const int AddOperation = 1;
    private const int DeleteOperation = 2;
    private const int ModifyOperation = 3;
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;
    private const int NoSignal = 0x4000;   // a closed peer fails the send with EPIPE instead of raising SIGPIPE
    private const int TcpLevel = 6;
    private const int NoDelayOption = 1;
    private const int AddressFamilyInet = 2;
    private const int AddressFamilyInet6 = 10;
    private const int OpenFilesResource = 7;

    /// <summary>At most this many buffers go into one sendmsg call.</summary>
    public const int MaxSendBuffers = 16;

    // struct epoll_event is packed on x86-64 (12 bytes, data at offset 4) and naturally aligned elsewhere (16, at 8).
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static int LastError => Marshal.GetLastPInvokeError();

    public static int CreateEpoll()
    {
        int epoll = EpollCreate(CloseOnExec);
        return epoll >= 0 ? epoll : throw new IOException($"epoll_create1 failed with errno {LastError}.");
    }

    public static int CreateWakeup()
    {
        int fd = EventFd(0, CloseOnExec | NonBlocking);
        return fd >= 0 ? fd : throw new IOException($"eventfd failed with errno {LastError}.");
    }

    /// <summary>Adds, changes or removes <paramref name="fd"/>'s interest; returns errno, 0 on success.</summary>
    public static int Watch(int epoll, int fd, uint events, ulong data, bool add) =>
        Control(epoll, add ? AddOperation : ModifyOperation, fd, events, data);

    public static int Unwatch(int epoll, int fd) => Control(epoll, DeleteOperation, fd, 0, 0);

    public static int Wait(int epoll, byte* events, int capacity, int timeoutMilliseconds) =>
        EpollWait(epoll, events, capacity, timeoutMilliseconds);

    public static uint EventsAt(byte* events, int index) => Unsafe.ReadUnaligned<uint>(events + index * EventSize);

    public static ulong DataAt(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + index * EventSize + s_dataOffset);

    /// <summary>Accepts one pending connection as a non-blocking descriptor with Nagle off; -1 and errno when none.</summary>
    public static int Accept(int listener)
    {
        int fd = Accept4(listener, null, null, NonBlocking | CloseOnExec);
        if (fd < 0) return -1;
        int one = 1;
        SetSocketOption(fd, TcpLevel, NoDelayOption, &one, sizeof(int));
        return fd;
    }

    /// <summary>The address of the peer connected to <paramref name="fd"/>, or null when it has gone.</summary>
    public static IPEndPoint? PeerOf(int fd)
    {
        byte* address = stackalloc byte[128];
        uint length = 128;
        return GetPeerName(fd, address, &length) == 0 ? ReadEndPoint(address, length) : null;
    }

    /// <summary>Opens a descriptor on /dev/null, kept in reserve to refuse connections when the descriptor limit is hit.</summary>
    public static int OpenSpare()
    {
        fixed (byte* path = "/dev/null\0"u8) return Open(path, CloseOnExec);
    }

    /// <summary>The process's soft open-files limit (RLIMIT_NOFILE), read afresh: it can change while the process runs.</summary>
    public static long OpenFilesLimit()
    {
        ulong* limits = stackalloc ulong[2];
        return GetResourceLimit(OpenFilesResource, limits) == 0 ? (long)Math.Min(limits[0], long.MaxValue) : long.MaxValue;
    }

    public static nint Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer) return Recv(fd, pointer, (nuint)buffer.Length, 0);
    }

    /// <summary>Sends the buffers described by <paramref name="vectors"/> (pairs of base and length) in one call.</summary>
    public static nint Send(int fd, nint* vectors, int count)
    {
        // struct msghdr: name, namelen (padded), iov, iovlen, control, controllen, flags.
        nint* message = stackalloc nint[7];
        new Span<nint>(message, 7).Clear();
        message[2] = (nint)vectors;
        message[3] = count;
        return SendMessage(fd, message, NoSignal);
    }

    public static void Shutdown(int fd, int how) => ShutdownSocket(fd, how);

    public static void Close(int fd) => CloseDescriptor(fd);

    public static void Signal(int wakeup)
    {
        ulong one = 1;
        WriteDescriptor(wakeup, &one, sizeof(ulong));
    }

    public static void ClearSignal(int wakeup)
    {
        ulong value;
        ReadDescriptor(wakeup, &value, sizeof(ulong));
    }

    private static IPEndPoint? ReadEndPoint(byte* address, uint length)
    {
        ushort family = *(ushort*)address;
        int port = (address[2] << 8) | address[3];
        if (family == AddressFamilyInet && length >= 8) return new IPEndPoint(new IPAddress(new ReadOnlySpan<byte>(address + 4, 4)), port);
        if (family == AddressFamilyInet6 && length >= 28)
        {
            var ip = new IPAddress(new ReadOnlySpan<byte>(address + 8, 16), *(uint*)(address + 24));
            return new IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, port);
        }
        return null;
    }

    private static int Control(int epoll, int operation, int fd, uint events, ulong data)
    {
        byte* item = stackalloc byte[16];
        Unsafe.WriteUnaligned(item, events);
        Unsafe.WriteUnaligned(item + s_dataOffset, data);
        return EpollControl(epoll, operation, fd, item) == 0 ? 0 : LastError;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollControl(int epoll, int operation, int fd, byte* item);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, byte* events, int capacity, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    private static partial int Accept4(int fd, byte* address, uint* length, int flags);

    [LibraryImport("libc", EntryPoint = "getpeername")]
    private static partial int GetPeerName(int fd, byte* address, uint* length);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetResourceLimit(int resource, ulong* limits);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMessage(int fd, nint* message, int flags);

    [LibraryImport("libc", EntryPoint = "setsockopt")]
    private static partial int SetSocketOption(int fd, int level, int name, int* value, uint length);

    [LibraryImport("libc", EntryPoint = "shutdown")]
    private static partial int ShutdownSocket(int fd, int how);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int fd);

    [LibraryImport("libc", EntryPoint = "write")]
    private static partial nint WriteDescriptor(int fd, void* buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "read")]
    private static partial nint ReadDescriptor(int fd, void* buffer, nuint length);
}
