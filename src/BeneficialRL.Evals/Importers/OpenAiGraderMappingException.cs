namespace BeneficialRL.Evals.Importers;

/// <summary>A mapping's OpenAI grader cannot be used; <see cref="Path"/> is its JSON path inside the mapping (e.g. <c>$.openaiGrader.evaluation_metric</c>).</summary>
public sealed class OpenAiGraderMappingException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public OpenAiGraderMappingException(string path, string message)
        : base($"{path}: {message}", "spec")
    {
        Path = path;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public OpenAiGraderMappingException()
    {
        Path = "$";
    }

    /// <summary>Creates the exception with a message only.</summary>
    public OpenAiGraderMappingException(string message)
        : base(message)
    {
        Path = "$";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public OpenAiGraderMappingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "$";
    }

    /// <summary>The JSON path inside the mapping.</summary>
    public string Path { get; }
}
