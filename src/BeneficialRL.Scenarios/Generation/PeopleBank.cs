namespace BeneficialRL.Scenarios.Generation;

/// <summary>Shared names and times (<c>people.yaml</c>).</summary>
public sealed class PeopleBank
{
    /// <summary>Given names.</summary>
    public List<string> FirstNames { get; set; } = [];

    /// <summary>Family names.</summary>
    public List<string> LastNames { get; set; } = [];

    /// <summary>Deadline phrases, e.g. "by 9 a.m. tomorrow".</summary>
    public List<string> Deadlines { get; set; } = [];

    /// <summary>Day names.</summary>
    public List<string> Weekdays { get; set; } = [];
}
