namespace BeneficialRL.Scenarios.Generation;

/// <summary>Failure answers of one kind and the criteria they fail.</summary>
public sealed class FailureTemplates
{
    /// <summary>Ids of the criteria this kind of answer fails.</summary>
    public List<string> Fails { get; set; } = [];

    /// <summary>Answer templates.</summary>
    public List<string> Texts { get; set; } = [];
}
