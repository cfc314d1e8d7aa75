using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wirehub.Cli.Bench;

/// <summary>
/// The Linux epoll calls (epoll(7)). The generator drives its sockets from one thread with them, because handing each
/// readiness event from the runtime's socket thread to a pool thread costs two context switches, several times what
/// the generator's own work per event costs.
/// </summary>
internal static unsafe partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;

    private const int AddOperation = 1;
    private const int DeleteOperation = 2;
    private const int ModifyOperation = 3;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4;

    // struct epoll_event is packed on x86-64 (12 bytes, data at offset 4) and naturally aligned elsewhere (16, at 8).
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static int Create()
    {
        int epoll = CreateEpoll(CloseOnExec);
        if (epoll < 0)
        {
            throw new IOException($"epoll_create1 failed with errno {Marshal.GetLastPInvokeError()}; the generator needs Linux.");
        }

        return epoll;
    }

    public static void Add(int epoll, int fd, uint events, ulong data) => Control(epoll, AddOperation, fd, events, data);

    public static void Modify(int epoll, int fd, uint events, ulong data) => Control(epoll, ModifyOperation, fd, events, data);

    public static void Delete(int epoll, int fd) => Control(epoll, DeleteOperation, fd, 0, 0);

    /// <summary>Waits for events; returns how many were written to <paramref name="events"/>, 0 on timeout or signal.</summary>
    public static int Wait(int epoll, byte* events, int capacity, int timeoutMilliseconds)
    {
        int count = EpollWait(epoll, events, capacity, timeoutMilliseconds);
        if (count >= 0)
        {
            return count;
        }

        int error = Marshal.GetLastPInvokeError();
        return error == Interrupted ? 0 : throw new IOException($"epoll_wait failed with errno {error}.");
    }

    public static uint EventsAt(byte* events, int index) => Unsafe.ReadUnaligned<uint>(events + index * EventSize);

    public static ulong DataAt(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + index * EventSize + s_dataOffset);

    public static void Close(int epoll) => CloseDescriptor(epoll);

    private static void Control(int epoll, int operation, int fd, uint events, ulong data)
    {
        byte* item = stackalloc byte[16];
        Unsafe.WriteUnaligned(item, events);
        Unsafe.WriteUnaligned(item + s_dataOffset, data);
        if (EpollControl(epoll, operation, fd, item) < 0)
        {
            throw new IOException($"epoll_ctl({operation}) on descriptor {fd} failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int CreateEpoll(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollControl(int epoll, int operation, int fd, byte* item);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, byte* events, int capacity, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int fd);
}
