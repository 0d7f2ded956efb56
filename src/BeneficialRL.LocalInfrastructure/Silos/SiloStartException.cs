namespace BeneficialRL.LocalInfrastructure;

/// <summary>A silo did not become ready; the message names it, says why, and quotes its last output lines.</summary>
public sealed class SiloStartException : Exception
{
    /// <summary>Creates the exception for silo <paramref name="siloName"/>.</summary>
    public SiloStartException(string siloName, string reason, IReadOnlyList<string> lastLines)
        : base($"Silo '{siloName}' {reason}. Its last output lines:{Environment.NewLine}{Format(lastLines)}")
    {
        SiloName = siloName;
        LastLines = lastLines;
    }

    /// <summary>The silo's name.</summary>
    public string SiloName { get; }

    /// <summary>The silo's last output lines, oldest first.</summary>
    public IReadOnlyList<string> LastLines { get; }

    private static string Format(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? "  (no output)" : string.Join(Environment.NewLine, lines.Select(line => "  " + line));
}
