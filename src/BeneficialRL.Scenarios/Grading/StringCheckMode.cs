namespace BeneficialRL.Scenarios.Grading;

/// <summary>How <see cref="StringCheckGrader"/> compares the response with the expected string.</summary>
public enum StringCheckMode
{
    /// <summary>The whole (trimmed) response equals the expected string.</summary>
    Equals,

    /// <summary>The response contains the expected string.</summary>
    Contains,

    /// <summary>The (trimmed) response starts with the expected string.</summary>
    StartsWith,

    /// <summary>The response does not contain the expected string.</summary>
    NotContains,
}
