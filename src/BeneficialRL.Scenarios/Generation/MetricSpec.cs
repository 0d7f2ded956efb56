namespace BeneficialRL.Scenarios.Generation;

/// <summary>A domain quantity: name, unit and the range values are drawn from.</summary>
public sealed class MetricSpec
{
    /// <summary>E.g. "serum potassium".</summary>
    public string Name { get; set; } = "";

    /// <summary>E.g. "mmol/L".</summary>
    public string Unit { get; set; } = "";

    /// <summary>Smallest value drawn.</summary>
    public double Min { get; set; }

    /// <summary>Largest value drawn.</summary>
    public double Max { get; set; }

    /// <summary>Decimal places shown.</summary>
    public int Decimals { get; set; }
}
