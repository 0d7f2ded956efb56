using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Scenarios.Tests.Schema;

public sealed class ScenarioTaxonomyTests
{
    [Fact]
    public void ScenarioTaxonomy_Default_HasThePapersTraitsDomainsAndPressures()
    {
        var taxonomy = ScenarioTaxonomy.Default;
        Assert.Equal(15, taxonomy.Traits.Count);
        Assert.Equal(
            ["truthfulness", "metacognitive-transparency", "corrigibility", "downside-aware-planning", "power-asymmetry-awareness", "anti-hierarchy-governance", "universalizable-fairness"],
            taxonomy.HeldOutTraits.Select(t => t.Id));
        Assert.Equal(12, taxonomy.Domains.Count);
        Assert.True(taxonomy.Pressures.Count >= 6);
        Assert.All(taxonomy.Traits, t => Assert.True(t.Definition.Length > 40, $"{t.Id} needs a definition"));
        Assert.All(taxonomy.Domains, d => Assert.False(string.IsNullOrWhiteSpace(d.Name)));
    }
}
