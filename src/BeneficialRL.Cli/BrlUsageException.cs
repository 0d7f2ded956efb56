namespace BeneficialRL.Cli;

/// <summary>The command line is wrong in a way the parser cannot see (no API key, an unreadable file): exit code 2.</summary>
public sealed class BrlUsageException(string message) : Exception(message);
