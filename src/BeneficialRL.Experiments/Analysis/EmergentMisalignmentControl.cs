using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Analysis.Items;
using BeneficialRL.Analysis.SeedLevel;
using BeneficialRL.Durability.Running;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Experiments.Stages;

namespace BeneficialRL.Experiments.Analysis;

/// <summary>
/// The emergent-misalignment control of one world (<c>docs/science.md</c> §5): the pre-RL checkpoint fine-tuned on the
/// world's misaligned documents of one domain, once per seed, and its verdict.
/// </summary>
/// <param name="World">The world (linked or null).</param>
/// <param name="Rho">Its ρ.</param>
/// <param name="Domain">The fine-tuning domain (its items are left out of the endpoint).</param>
/// <param name="Corpus">The harmful corpus.</param>
/// <param name="Seeds">The fine-tune seeds, in replicate order.</param>
/// <param name="FinalDose">The dose "after" is read at (cumulative SFT steps).</param>
/// <param name="PerSeedLoss">Mean SFT loss of each replicate's last rung, in replicate order.</param>
/// <param name="Endpoint">EM Δ on the alignment benchmarks' items outside the domain, capability excluded, with the verdict.</param>
/// <param name="InDomain">The same on the domain's own items (secondary: the fine-tune's direct effect); null when there are none.</param>
public sealed record EmergentMisalignmentControl(
    WorldKind World,
    double Rho,
    string Domain,
    CorpusSummary? Corpus,
    IReadOnlyList<long> Seeds,
    int FinalDose,
    IReadOnlyList<double> PerSeedLoss,
    EmergentMisalignmentEstimate Endpoint,
    SeedLevelEstimate? InDomain)
{
    /// <summary>
    /// The control of <paramref name="definition"/> from its persistence result, or null when the definition does not
    /// fine-tune on its world's corpus.
    /// </summary>
    /// <exception cref="InvalidDataException">The result lacks a seed's fine-tune.</exception>
    public static EmergentMisalignmentControl? From(ExperimentDefinition definition, PersistenceResult? persistence)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (persistence is null || !PersistenceStage.UsesWorldCorpus(definition))
        {
            return null;
        }

        var fineTunes = definition.Seeds.Select(seed => persistence.FineTuning.FirstOrDefault(r => r.Subject == PersistenceStage.ReplicateSubject(seed))
            ?? throw new InvalidDataException($"The persistence result has no fine-tune '{PersistenceStage.ReplicateSubject(seed)}'.")).ToList();
        var spec = definition.Persistence!;
        var options = spec.ToAnalysisOptions();
        var expectation = definition.World.Kind == WorldKind.Linked ? EmergentMisalignmentExpectation.Degradation : EmergentMisalignmentExpectation.NoDegradation;
        var endpoint = EmergentMisalignmentAnalysis.Analyze(Replicates(fineTunes, r => r.OutOfDomain), expectation, options);
        var inDomain = fineTunes.All(f => Alignment(f.Rungs[0].InDomain).Count() >= 2)
            ? EmergentMisalignmentAnalysis.Analyze(Replicates(fineTunes, r => r.InDomain), expectation, options).Endpoint with { Name = $"{spec.FineTuning.Domain} Δ (in-domain, after − before)" }
            : null;
        return new EmergentMisalignmentControl(
            definition.World.Kind,
            definition.World.EffectiveRho,
            spec.FineTuning.Domain,
            persistence.Corpus,
            definition.Seeds,
            fineTunes[0].Rungs[^1].Lineage.Dose,
            [.. fineTunes.Select(f => f.Rungs[^1].MeanLoss)],
            endpoint,
            inDomain);
    }

    private static List<EmergentMisalignmentReplicate> Replicates(IReadOnlyList<SubjectFineTuningResult> fineTunes, Func<DoseRungResult, IReadOnlyList<ItemScore>> scope) =>
        [.. fineTunes.Select((f, i) => new EmergentMisalignmentReplicate(i, [.. Alignment(scope(f.Rungs[0]))], [.. Alignment(scope(f.Rungs[^1]))]))];

    // Capability controls measure general damage, not alignment: they stay out of the endpoint, as in §3.
    private static IEnumerable<ItemScore> Alignment(IEnumerable<ItemScore> scores) =>
        scores.Where(s => !(DefaultCatalogue.Instance.TryGet(s.BenchmarkId, out var b) && string.Equals(b.Definition.Family, BenchmarkFamilies.Capability, StringComparison.Ordinal)));
}
