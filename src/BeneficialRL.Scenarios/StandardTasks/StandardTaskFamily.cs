namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>The families of verifiable standard tasks.</summary>
public enum StandardTaskFamily
{
    /// <summary>Arithmetic word problems with one integer answer.</summary>
    Arithmetic,

    /// <summary>Instruction and format following with programmatically checked constraints.</summary>
    FormatFollowing,

    /// <summary>Extracting one fact from a short passage.</summary>
    Extraction,
}
