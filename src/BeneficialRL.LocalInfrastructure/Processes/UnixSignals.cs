using System.Runtime.InteropServices;

namespace BeneficialRL.LocalInfrastructure;

/// <summary>
/// POSIX signals that <see cref="System.Diagnostics.Process"/> cannot send: it only knows SIGKILL, and a
/// graceful stop (a silo leaving the cluster) needs SIGTERM first.
/// </summary>
internal static partial class UnixSignals
{
    public const int Terminate = 15;
    public const int Kill = 9;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>; false when it is gone or not ours.</summary>
    public static bool TrySend(int processId, int signal) =>
        !OperatingSystem.IsWindows() && NativeKill(processId, signal) == 0;

    /// <summary>Whether the current process runs as root (uid 0), i.e. may call apt-get itself.</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && NativeGetEffectiveUserId() == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint NativeGetEffectiveUserId();
}
