namespace BeneficialRL.Cli;

/// <summary>What <c>brl</c>'s exit code means; scripts branch on these, so they never change meaning.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The API refused the request (4xx: invalid input, not found, conflict, stale ETag, no permission).</summary>
    public const int ApiError = 1;

    /// <summary>The command line is wrong (unknown command or option, missing argument, no API key).</summary>
    public const int Usage = 2;

    /// <summary>The API could not be reached or failed (connection refused, timeout, 5xx).</summary>
    public const int Unreachable = 3;

    /// <summary>A watched experiment ended failed or cancelled.</summary>
    public const int ExperimentNotCompleted = 4;

    /// <summary>The exit codes as the help text lists them.</summary>
    public const string Help =
        "Exit codes: 0 ok; 1 the API refused the request (4xx); 2 usage error; 3 API unreachable or failing (5xx); 4 a watched experiment failed or was cancelled.";
}
