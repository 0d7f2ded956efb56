namespace BeneficialRL.Storage.Tests.LocalInfrastructure;

/// <summary>Reads /proc to tell whether a process still runs (a zombie awaiting its reaper counts as gone).</summary>
internal static class ProcessProbe
{
    public static bool IsRunning(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var afterName = stat.LastIndexOf(')');
        return stat[afterName + 2] != 'Z';
    }

    /// <summary>Waits (bounded) until the process is gone: the kernel reaps a killed orphan asynchronously.</summary>
    public static async Task<bool> ExitsAsync(int processId)
    {
        for (var attempt = 0; attempt < 200 && IsRunning(processId); attempt++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        return !IsRunning(processId);
    }
}
