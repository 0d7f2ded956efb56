namespace BeneficialRL.Scenarios.Schema;

/// <summary>Which split a scenario belongs to; JSON <c>train</c> or <c>held-out</c>.</summary>
public enum ScenarioSplit
{
    /// <summary>Used for RL training.</summary>
    Train,

    /// <summary>Built from separate templates; used only for direct evaluation of the held-out traits.</summary>
    HeldOut,
}
