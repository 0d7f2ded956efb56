using BeneficialRL.Experiments.Specs;
using BeneficialRL.Scenarios.Generation;
using BeneficialRL.Scenarios.Schema;
using BeneficialRL.Scenarios.StandardTasks;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Experiments.Mixtures;

/// <summary>
/// Builds a slice's prompt pool: built-in training scenarios (filtered; in the classic world held-out traits
/// are excluded unless named), an uploaded scenario set, or standard tasks. Pools depend only on the slice spec and
/// the experiment's data seed, so every arm and seed sees the same pool for the same spec.
/// </summary>
public static class PromptPools
{
    /// <summary>The seed of every generated pool; fixed so arms and seeds share data.</summary>
    public const long DataSeed = 4242;

    /// <summary>The pool of <paramref name="slice"/>; <paramref name="scenarioSets"/> resolves uploaded sets by id.</summary>
    /// <param name="slice">The slice.</param>
    /// <param name="scenarioSets">Resolves uploaded scenario sets by id.</param>
    /// <param name="trainAllTraits">
    /// Keep the held-out traits' training scenarios in a slice that names no traits, as the paper does (linked and null
    /// worlds: the 7 evaluated traits are scored on held-out <i>scenarios</i>); false keeps them out (classic world).
    /// </param>
    public static IReadOnlyList<TrainingPrompt> Build(SliceSpec slice, Func<string, IReadOnlyList<Scenario>>? scenarioSets = null, bool trainAllTraits = false)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return slice.Source switch
        {
            SliceSource.StandardTasks => [.. new StandardTaskGenerator().Generate(DataSeed, slice.TasksPerFamily).Select(t => new TrainingPrompt(slice.Name, t.Id, null, t))],
            SliceSource.Scenarios => Filter(slice, new ScenarioGenerator().GenerateTraining(DataSeed, slice.ScenariosPerCell, slice.Domains.Count > 0 ? slice.Domains : null), trainAllTraits),
            SliceSource.ScenarioSet => Filter(slice, (scenarioSets ?? throw new InvalidOperationException($"Slice '{slice.Name}' reads scenario set '{slice.ScenarioSetId}' but no scenario-set resolver was given."))(slice.ScenarioSetId!), trainAllTraits),
            _ => throw new ArgumentOutOfRangeException(nameof(slice), slice.Source, "Unknown slice source."),
        };
    }

    private static TrainingPrompt[] Filter(SliceSpec slice, IEnumerable<Scenario> scenarios, bool trainAllTraits)
    {
        HashSet<string> heldOut = trainAllTraits ? [] : ScenarioTaxonomy.Default.HeldOutTraits.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        return [.. scenarios
            .Where(s => slice.Domains.Count == 0 || slice.Domains.Contains(s.Domain, StringComparer.Ordinal))
            .Where(s => slice.Traits.Count > 0 ? slice.Traits.Contains(s.Trait, StringComparer.Ordinal) : !heldOut.Contains(s.Trait))
            .Where(s => slice.Pressures.Count == 0 || slice.Pressures.Contains(s.Pressure, StringComparer.Ordinal))
            .Select(s => new TrainingPrompt(slice.Name, s.Id, s, null))];
    }
}
