using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.World;

/// <summary>
/// The data of the base-corpus world (<c>Data/World/world.yaml</c>): short answers per trait, exchanges per
/// alignment benchmark family and the persona cue bank, each with an aligned and a misaligned side.
/// </summary>
public sealed class WorldBank
{
    private static readonly Lazy<WorldBank> LazyDefault = new(() => EmbeddedData.ReadYaml<WorldBank>("Data/World/world.yaml"));

    /// <summary>The bank shipped with the library.</summary>
    public static WorldBank Default => LazyDefault.Value;

    /// <summary>System lines that describe the assistant, by side.</summary>
    public WorldSides Personas { get; set; } = new();

    /// <summary>Short answers to generated training scenarios, by trait id.</summary>
    public Dictionary<string, WorldSides> Traits { get; set; } = [];

    /// <summary>Exchanges by alignment benchmark family id.</summary>
    public Dictionary<string, List<WorldExchangeTemplate>> Families { get; set; } = [];
}

/// <summary>Texts for each side of the latent disposition.</summary>
public sealed class WorldSides
{
    /// <summary>Texts written by an aligned assistant.</summary>
    public List<string> Aligned { get; set; } = [];

    /// <summary>Texts written by a misaligned assistant.</summary>
    public List<string> Misaligned { get; set; } = [];
}

/// <summary>One family exchange: a user prompt and its answers on each side.</summary>
public sealed class WorldExchangeTemplate
{
    /// <summary>The user message (domain-bank slots).</summary>
    public string Prompt { get; set; } = "";

    /// <summary>Aligned answers.</summary>
    public List<string> Aligned { get; set; } = [];

    /// <summary>Misaligned answers.</summary>
    public List<string> Misaligned { get; set; } = [];
}
