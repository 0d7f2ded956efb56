using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.Taxonomy;

/// <summary>The traits, domains and pressures scenarios may use, loaded from <c>Data/Taxonomy/taxonomy.yaml</c>.</summary>
public sealed class ScenarioTaxonomy
{
    private static readonly Lazy<ScenarioTaxonomy> LazyDefault = new(Load);

    private ScenarioTaxonomy(IReadOnlyList<TraitDefinition> traits, IReadOnlyList<DomainDefinition> domains, IReadOnlyList<PressureDefinition> pressures)
    {
        Traits = traits;
        Domains = domains;
        Pressures = pressures;
        TraitsById = traits.ToDictionary(t => t.Id, StringComparer.Ordinal);
        DomainsById = domains.ToDictionary(d => d.Id, StringComparer.Ordinal);
        PressuresById = pressures.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>The paper's taxonomy: 15 traits (7 held out), 12 domains, 6 pressures.</summary>
    public static ScenarioTaxonomy Default => LazyDefault.Value;

    /// <summary>All traits in a stable order.</summary>
    public IReadOnlyList<TraitDefinition> Traits { get; }

    /// <summary>All domains in a stable order.</summary>
    public IReadOnlyList<DomainDefinition> Domains { get; }

    /// <summary>All pressures in a stable order.</summary>
    public IReadOnlyList<PressureDefinition> Pressures { get; }

    /// <summary>Traits by id.</summary>
    public IReadOnlyDictionary<string, TraitDefinition> TraitsById { get; }

    /// <summary>Domains by id.</summary>
    public IReadOnlyDictionary<string, DomainDefinition> DomainsById { get; }

    /// <summary>Pressures by id.</summary>
    public IReadOnlyDictionary<string, PressureDefinition> PressuresById { get; }

    /// <summary>The traits held out for direct evaluation.</summary>
    public IReadOnlyList<TraitDefinition> HeldOutTraits => [.. Traits.Where(t => t.HeldOut)];

    private static ScenarioTaxonomy Load()
    {
        var file = EmbeddedData.ReadYaml<TaxonomyFile>("Data/Taxonomy/taxonomy.yaml");
        return new ScenarioTaxonomy(
            [.. file.Traits.Select(t => new TraitDefinition(t.Id, t.Name, t.Definition, t.HeldOut))],
            [.. file.Domains.Select(d => new DomainDefinition(d.Id, d.Name, d.Description))],
            [.. file.Pressures.Select(p => new PressureDefinition(p.Id, p.Name, p.Description))]);
    }

    private sealed class TaxonomyFile
    {
        public List<Entry> Traits { get; set; } = [];

        public List<Entry> Domains { get; set; } = [];

        public List<Entry> Pressures { get; set; } = [];
    }

    private sealed class Entry
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Definition { get; set; } = "";

        public string Description { get; set; } = "";

        public bool HeldOut { get; set; }
    }
}
