namespace BeneficialRL.Experiments.Specs;

/// <summary>
/// The starting checkpoint: either a built-in preset trained by a base SFT stage on a mixed-behaviour
/// corpus (<see cref="Preset"/> + <see cref="BaseSft"/>), or an existing checkpoint (<see cref="CheckpointId"/>).
/// </summary>
public sealed record StartingModelSpec
{
    /// <summary>Built-in architecture: <c>micro</c> (tests), <c>tiny</c> or <c>small</c>; null when <see cref="CheckpointId"/> is set.</summary>
    public string? Preset { get; init; } = "tiny";

    /// <summary>An existing checkpoint, looked up by the caller's artifact store; null for a preset.</summary>
    public string? CheckpointId { get; init; }

    /// <summary>The base SFT stage that turns the preset into the pre-RL checkpoint.</summary>
    public BaseSftSpec BaseSft { get; init; } = new();
}
