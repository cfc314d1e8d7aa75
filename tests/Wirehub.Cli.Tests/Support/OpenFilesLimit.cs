using System.Runtime.InteropServices;

namespace Wirehub.Cli.Tests.Support;

/// <summary>Reads and lowers another process's open-files limit (prlimit(2), RLIMIT_NOFILE), and counts its descriptors.</summary>
internal static unsafe partial class OpenFilesLimit
{
    private const int OpenFilesResource = 7;

    /// <summary>Sets both the soft and the hard limit of process <paramref name="pid"/>.</summary>
    public static void Set(int pid, ulong limit)
    {
        ulong* value = stackalloc ulong[2] { limit, limit };
        if (ProcessLimit(pid, OpenFilesResource, value, null) != 0)
            throw new InvalidOperationException($"prlimit on process {pid} failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>How many descriptors process <paramref name="pid"/> has open now.</summary>
    public static int CountOpen(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    [LibraryImport("libc", EntryPoint = "prlimit", SetLastError = true)]
    private static partial int ProcessLimit(int pid, int resource, ulong* newLimit, ulong* oldLimit);
}
