namespace BeneficialRL.LocalInfrastructure;

/// <summary>Runs a short-lived command to completion (npm, apt-get) through <see cref="ChildProcess"/>.</summary>
internal static class CommandRunner
{
    /// <summary>Runs the command; returns its exit code and the tail of its output.</summary>
    public static async Task<(int ExitCode, string OutputTail)> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        Action<string>? log,
        CancellationToken cancellationToken)
    {
        var tail = new OutputTail(capacity: 20);
        await using var child = ChildProcess.Start(
            fileName,
            arguments,
            environment ?? new Dictionary<string, string?>(),
            workingDirectory: null,
            line =>
            {
                tail.Add(line);
                log?.Invoke(line);
            });
        try
        {
            var exitCode = await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (exitCode, tail.ToString());
        }
        catch (OperationCanceledException)
        {
            child.Kill();
            throw;
        }
    }
}
