namespace BeneficialRL.Scenarios.Generation;

/// <summary>A rubric criterion template.</summary>
public sealed class CriterionTemplate
{
    /// <summary>Criterion id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Criterion text (may contain slots).</summary>
    public string Text { get; set; } = "";

    /// <summary><c>must-do</c> or <c>must-avoid</c>.</summary>
    public string Polarity { get; set; } = "";

    /// <summary>Weight in the combined score.</summary>
    public double Weight { get; set; } = 1.0;

    /// <summary>Concepts, each a list of alternative phrasings.</summary>
    public List<List<string>> Concepts { get; set; } = [];

    /// <summary>How many concepts must appear.</summary>
    public int MinConcepts { get; set; } = 1;

    /// <summary>Whether a number is also required.</summary>
    public bool RequiresNumber { get; set; }
}
