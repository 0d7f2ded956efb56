using System.Diagnostics;

namespace BeneficialRL.AppHost.Resources;

/// <summary>Waits for a child process the AppHost knows only by id (Azurite: started by LocalInfrastructure).</summary>
internal static class ProcessExit
{
    /// <summary>Completes when process <paramref name="processId"/> ends, with its exit code when the runtime knows it.</summary>
    public static async Task<int?> WaitAsync(int processId)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return null; // Already gone.
        }

        using (process)
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            try
            {
                return process.ExitCode;
            }
            catch (InvalidOperationException)
            {
                return null; // Not every runtime can report the exit code of a process it did not start itself.
            }
        }
    }
}
