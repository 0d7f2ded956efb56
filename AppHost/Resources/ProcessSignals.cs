using System.Runtime.InteropServices;

namespace BeneficialRL.AppHost.Resources;

/// <summary>
/// Graceful stop of a process the AppHost only knows by id (Azurite): SIGTERM lets it flush its metadata to the
/// data directory, which a SIGKILL would lose.
/// </summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM to <paramref name="processId"/>; false when it is gone (or on Windows).</summary>
    public static bool Terminate(int processId) => !OperatingSystem.IsWindows() && Kill(processId, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
