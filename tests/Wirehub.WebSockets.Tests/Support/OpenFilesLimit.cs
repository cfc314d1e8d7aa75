using System.Runtime.InteropServices;

namespace Wirehub.WebSockets.Tests.Support;

/// <summary>Lowers this process's soft open-files limit (RLIMIT_NOFILE) until disposed. Use only in a non-parallel collection.</summary>
internal sealed unsafe partial class OpenFilesLimit : IDisposable
{
    private const int OpenFilesResource = 7;
    private readonly ulong _soft;
    private readonly ulong _hard;

    private OpenFilesLimit(ulong soft, ulong hard)
    {
        _soft = soft;
        _hard = hard;
    }

    /// <summary>The lowest descriptor number free now: the next descriptor opened gets it.</summary>
    public static int LowestFree()
    {
        using var handle = File.OpenHandle("/dev/null");
        return (int)handle.DangerousGetHandle();
    }

    /// <summary>Sets the soft limit to <paramref name="limit"/>; the previous one comes back on dispose.</summary>
    public static OpenFilesLimit LowerTo(ulong limit)
    {
        ulong* current = stackalloc ulong[2];
        if (GetLimit(OpenFilesResource, current) != 0) throw new InvalidOperationException($"getrlimit failed with errno {Marshal.GetLastPInvokeError()}.");
        var restore = new OpenFilesLimit(current[0], current[1]);
        ulong* lowered = stackalloc ulong[2] { limit, current[1] };
        if (SetLimit(OpenFilesResource, lowered) != 0) throw new InvalidOperationException($"setrlimit failed with errno {Marshal.GetLastPInvokeError()}.");
        return restore;
    }

    public void Dispose()
    {
        ulong* limits = stackalloc ulong[2] { _soft, _hard };
        SetLimit(OpenFilesResource, limits);
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetLimit(int resource, ulong* limits);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetLimit(int resource, ulong* limits);
}
