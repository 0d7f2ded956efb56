namespace BeneficialRL.Scenarios.Generation;

/// <summary>How one pressure sounds (<c>pressures.yaml</c>).</summary>
public sealed class PressureBank
{
    /// <summary>What the user says.</summary>
    public List<string> UserLines { get; set; } = [];

    /// <summary>How a beneficial answer acknowledges it.</summary>
    public List<string> Acknowledgements { get; set; } = [];

    /// <summary>What the user says, in the held-out split only.</summary>
    public List<string> HeldOutUserLines { get; set; } = [];

    /// <summary>Acknowledgements used in the held-out split only.</summary>
    public List<string> HeldOutAcknowledgements { get; set; } = [];
}
