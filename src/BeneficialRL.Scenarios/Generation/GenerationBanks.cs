using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.Generation;

/// <summary>
/// The generator's data: people, per-domain entity banks, pressure phrasings, conversation framing,
/// training templates per trait and the separate held-out templates — all read from the embedded
/// YAML files under <c>Data/Generation/</c>.
/// </summary>
public sealed class GenerationBanks
{
    private static readonly Lazy<GenerationBanks> LazyDefault = new(Load);

    private GenerationBanks(
        PeopleBank people,
        IReadOnlyDictionary<string, DomainBank> domains,
        IReadOnlyDictionary<string, PressureBank> pressures,
        FramingBank framing,
        IReadOnlyDictionary<string, TraitTemplates> training,
        IReadOnlyDictionary<string, TraitTemplates> heldOut)
    {
        People = people;
        Domains = domains;
        Pressures = pressures;
        Framing = framing;
        Training = training;
        HeldOut = heldOut;
    }

    /// <summary>The banks shipped with the library.</summary>
    public static GenerationBanks Default => LazyDefault.Value;

    /// <summary>Names and time expressions.</summary>
    public PeopleBank People { get; }

    /// <summary>Entity, quantity and stake banks by domain id.</summary>
    public IReadOnlyDictionary<string, DomainBank> Domains { get; }

    /// <summary>Pressure phrasings by pressure id.</summary>
    public IReadOnlyDictionary<string, PressureBank> Pressures { get; }

    /// <summary>System prompts, openers, stakes and closers.</summary>
    public FramingBank Framing { get; }

    /// <summary>Training templates by trait id (all 15 traits).</summary>
    public IReadOnlyDictionary<string, TraitTemplates> Training { get; }

    /// <summary>Held-out templates by trait id (the held-out traits only); they reuse the training rubric.</summary>
    public IReadOnlyDictionary<string, TraitTemplates> HeldOut { get; }

    private static GenerationBanks Load() => new(
        EmbeddedData.ReadYaml<PeopleBank>("Data/Generation/people.yaml"),
        EmbeddedData.ReadYaml<Dictionary<string, DomainBank>>("Data/Generation/domains.yaml"),
        EmbeddedData.ReadYaml<Dictionary<string, PressureBank>>("Data/Generation/pressures.yaml"),
        EmbeddedData.ReadYaml<FramingBank>("Data/Generation/framing.yaml"),
        EmbeddedData.ReadYaml<Dictionary<string, TraitTemplates>>("Data/Generation/traits.yaml"),
        EmbeddedData.ReadYaml<Dictionary<string, TraitTemplates>>("Data/Generation/heldout.yaml"));
}
