using System.Runtime.InteropServices;

namespace Wirehub.Operations.Tests.Support;

/// <summary>Sends POSIX signals (Process.Kill is SIGKILL, which no process can handle).</summary>
internal static partial class Signal
{
    private const int SigTerm = 15;

    public static void Terminate(int processId)
    {
        if (Kill(processId, SigTerm) != 0)
            throw new InvalidOperationException($"kill({processId}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
