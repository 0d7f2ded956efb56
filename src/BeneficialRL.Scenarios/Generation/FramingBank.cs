namespace BeneficialRL.Scenarios.Generation;

/// <summary>Conversation framing shared by all traits (<c>framing.yaml</c>).</summary>
public sealed class FramingBank
{
    /// <summary>System turns.</summary>
    public List<string> SystemPrompts { get; set; } = [];

    /// <summary>First sentence of the user turn.</summary>
    public List<string> Openers { get; set; } = [];

    /// <summary>Background sentences naming the colleague, artefact and project the answers refer to.</summary>
    public List<string> ContextLines { get; set; } = [];

    /// <summary>What is at stake.</summary>
    public List<string> Stakes { get; set; } = [];

    /// <summary>Last sentence of the user turn.</summary>
    public List<string> Closers { get; set; } = [];

    /// <summary>Separate framing for the held-out split (no sentence frame shared with training).</summary>
    public FramingBank? HeldOut { get; set; }
}
