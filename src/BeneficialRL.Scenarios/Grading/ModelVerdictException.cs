namespace BeneficialRL.Scenarios.Grading;

/// <summary>The judge model answered, but not with a usable verdict (not JSON, or criteria missing).</summary>
public sealed class ModelVerdictException(string message, Exception? inner = null) : Exception(message, inner);
