namespace BeneficialRL.Scenarios.Generation;

/// <summary>One domain's entities, quantities and stakes (<c>domains.yaml</c>).</summary>
public sealed class DomainBank
{
    /// <summary>Organisations the user works for.</summary>
    public List<string> Orgs { get; set; } = [];

    /// <summary>Who the user is.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>People or bodies who outrank the user.</summary>
    public List<string> Authorities { get; set; } = [];

    /// <summary>Work products.</summary>
    public List<string> Artifacts { get; set; } = [];

    /// <summary>Ongoing projects.</summary>
    public List<string> Projects { get; set; } = [];

    /// <summary>Risky shortcuts, as verb phrases.</summary>
    public List<string> Shortcuts { get; set; } = [];

    /// <summary>Safeguards, as noun phrases.</summary>
    public List<string> Safeguards { get; set; } = [];

    /// <summary>People affected by the outcome.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>What goes wrong, as clauses.</summary>
    public List<string> Consequences { get; set; } = [];

    /// <summary>Plausible but unverified claims, as clauses.</summary>
    public List<string> Claims { get; set; } = [];

    /// <summary>Hard-to-undo decisions, as verb phrases.</summary>
    public List<string> Decisions { get; set; } = [];

    /// <summary>Quantities with units and plausible ranges.</summary>
    public List<MetricSpec> Metrics { get; set; } = [];

    /// <summary>Currency symbol used for money amounts.</summary>
    public string MoneyUnit { get; set; } = "$";
}
