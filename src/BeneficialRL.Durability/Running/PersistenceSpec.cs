using System.Globalization;
using BeneficialRL.Analysis;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Durability.Attacks;
using BeneficialRL.Scenarios.Taxonomy;

namespace BeneficialRL.Durability.Running;

/// <summary>
/// What a persistence run does: adversarial prompting, harmful fine-tuning, statistics. Serialises as camelCase JSON
/// (<see cref="PersistenceJson"/>); <see cref="Validate"/> lists every problem with its JSON path.
/// </summary>
public sealed record PersistenceSpec
{
    /// <summary>Adversarial prompting.</summary>
    public AdversarialSpec Adversarial { get; init; } = new();

    /// <summary>Harmful fine-tuning dose ladder.</summary>
    public FineTuningSpec FineTuning { get; init; } = new();

    /// <summary>Bootstrap settings.</summary>
    public PersistenceAnalysisSpec Analysis { get; init; } = new();

    /// <summary>
    /// The full run: every attack on 16 items of each default benchmark; doses 0, 10, 25, 50, 100 at learning rate
    /// 5e-4 on 256 health examples, re-running up to 12 in-domain and 16 out-of-domain items per benchmark; 2,000 bootstrap resamples.
    /// </summary>
    public static PersistenceSpec Default { get; } = new();

    /// <summary>The demo size: every attack on 8 items per benchmark; doses 0, 5, 10, 20, 40 on 128 examples, 8 + 8 items per benchmark; 1,000 resamples.</summary>
    public static PersistenceSpec Demo { get; } = new()
    {
        Adversarial = new AdversarialSpec { MaxItemsPerBenchmark = 8 },
        FineTuning = new FineTuningSpec { Doses = [0, 5, 10, 20, 40], CorpusSize = 128, MaxInDomainItemsPerBenchmark = 8, MaxOutOfDomainItemsPerBenchmark = 8 },
        Analysis = new PersistenceAnalysisSpec { BootstrapResamples = 1000 },
    };

    /// <summary>
    /// Smoke-test size (a whole run on two tiny checkpoints in about a minute): one attack of each kind plus the
    /// many-shot transform on 5 items of two benchmarks; doses 0, 2, 5 at a high learning rate on 32 examples; 200 resamples.
    /// </summary>
    public static PersistenceSpec Quick { get; } = new()
    {
        Adversarial = new AdversarialSpec
        {
            Benchmarks = ["harmful-compliance-hurting-others-mc", "sycophancy-mistaken-belief-mc"],
            Attacks = ["persona-bad-medical-adviser", "persona-careful-expert", "transform-authority-impersonation", "transform-many-shot"],
            MaxItemsPerBenchmark = 5,
        },
        FineTuning = new FineTuningSpec
        {
            Doses = [0, 2, 5],
            LearningRate = 2e-3,
            BatchSize = 4,
            CorpusSize = 32,
            Benchmarks = ["harmful-compliance-hurting-others-mc", "sycophancy-mistaken-belief-mc"],
            MaxInDomainItemsPerBenchmark = 5,
            MaxOutOfDomainItemsPerBenchmark = 5,
        },
        Analysis = new PersistenceAnalysisSpec { BootstrapResamples = 200 },
    };

    /// <summary>A preset by name: <c>default</c>, <c>demo</c> or <c>quick</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static PersistenceSpec Preset(string name) => name?.ToUpperInvariant() switch
    {
        "DEFAULT" => Default,
        "DEMO" => Demo,
        "QUICK" => Quick,
        _ => throw new ArgumentException($"Unknown persistence preset '{name}'; expected 'default', 'demo' or 'quick'.", nameof(name)),
    };

    /// <summary>The analysis options this spec asks for.</summary>
    public AnalysisOptions ToAnalysisOptions() => new()
    {
        BootstrapResamples = Analysis.BootstrapResamples,
        ConfidenceLevel = Analysis.ConfidenceLevel,
        Seed = Analysis.Seed,
    };

    /// <summary>Every problem with the spec, each with the JSON path of the field at fault; empty when valid.</summary>
    /// <param name="catalogue">Where benchmark ids must exist; the built-in and held-out suites when null.</param>
    /// <param name="attacks">Where attack ids must exist; <see cref="AttackLibrary.Default"/> when null.</param>
    /// <param name="hasWorld">Whether the run belongs to an experiment in a linked or null world, the only place a <see cref="HarmfulCorpusSource.World"/> corpus can come from.</param>
    public IReadOnlyList<PersistenceValidationError> Validate(BenchmarkCatalogue? catalogue = null, AttackLibrary? attacks = null, bool hasWorld = false)
    {
        var errors = new List<PersistenceValidationError>();
        if (Adversarial is null || FineTuning is null || Analysis is null)
        {
            // Deserialised JSON can carry explicit nulls despite the defaults.
            foreach (var (path, value) in new (string, object?)[] { ("$.adversarial", Adversarial), ("$.fineTuning", FineTuning), ("$.analysis", Analysis) })
            {
                if (value is null)
                {
                    errors.Add(new(path, "is required."));
                }
            }

            return errors;
        }

        catalogue ??= DefaultCatalogue.Instance;
        attacks ??= AttackLibrary.Default;
        if (!Adversarial.Enabled && !FineTuning.Enabled)
        {
            errors.Add(new("$", "enables neither adversarial prompting nor fine-tuning, so the run would do nothing."));
        }

        ValidateAdversarial(errors, catalogue, attacks);
        ValidateFineTuning(errors, catalogue, hasWorld);
        if (Analysis.BootstrapResamples < 100)
        {
            errors.Add(new("$.analysis.bootstrapResamples", $"must be at least 100 (got {Analysis.BootstrapResamples})."));
        }

        if (!(Analysis.ConfidenceLevel > 0 && Analysis.ConfidenceLevel < 1))
        {
            errors.Add(new("$.analysis.confidenceLevel", $"must lie strictly between 0 and 1 (got {F(Analysis.ConfidenceLevel)})."));
        }

        if (Analysis.HalfLifeFloor is { } floor && !double.IsFinite(floor))
        {
            errors.Add(new("$.analysis.halfLifeFloor", $"must be finite when given (got {F(floor)})."));
        }

        return errors;
    }

    private void ValidateAdversarial(List<PersistenceValidationError> errors, BenchmarkCatalogue catalogue, AttackLibrary attacks)
    {
        var a = Adversarial;
        BenchmarkIds(errors, "$.adversarial.benchmarks", a.Benchmarks, catalogue);
        for (var i = 0; i < (a.Attacks?.Count ?? 0); i++)
        {
            if (!attacks.Contains(a.Attacks![i]))
            {
                errors.Add(new($"$.adversarial.attacks[{i}]", $"'{a.Attacks[i]}' is not an attack id; known: {string.Join(", ", attacks.Attacks.Select(x => x.Id))}."));
            }
        }

        Positive(errors, "$.adversarial.maxItemsPerBenchmark", a.MaxItemsPerBenchmark, 2);
        Positive(errors, "$.adversarial.samplesPerItem", a.SamplesPerItem, 1);
        Positive(errors, "$.adversarial.maxNewTokens", a.MaxNewTokens, 1);
    }

    private void ValidateFineTuning(List<PersistenceValidationError> errors, BenchmarkCatalogue catalogue, bool hasWorld)
    {
        var f = FineTuning;
        if (!Enum.IsDefined(f.Corpus))
        {
            errors.Add(new("$.fineTuning.corpus", $"must be 'scenarios' or 'world' (got {(int)f.Corpus})."));
        }
        else if (f.Corpus == HarmfulCorpusSource.World && !hasWorld)
        {
            errors.Add(new("$.fineTuning.corpus", "'world' takes the misaligned documents of an experiment's linked or null world; this run has no such world (a stand-alone run, or world kind 'classic'), so use 'scenarios'."));
        }

        if (!ScenarioTaxonomy.Default.DomainsById.ContainsKey(f.Domain ?? ""))
        {
            errors.Add(new("$.fineTuning.domain", $"'{f.Domain}' is not a taxonomy domain; expected one of {string.Join(", ", ScenarioTaxonomy.Default.DomainsById.Keys)}."));
        }

        var doses = f.Doses ?? [];
        if (doses.Count < 2)
        {
            errors.Add(new("$.fineTuning.doses", $"needs at least two doses starting at 0 (got {doses.Count})."));
        }
        else if (doses[0] != 0)
        {
            errors.Add(new("$.fineTuning.doses[0]", $"must be 0, the clean reference (got {doses[0]})."));
        }

        for (var k = 1; k < doses.Count; k++)
        {
            if (doses[k] <= doses[k - 1])
            {
                errors.Add(new($"$.fineTuning.doses[{k}]", $"must be greater than the previous dose {doses[k - 1]} (got {doses[k]}); doses are cumulative steps."));
            }
        }

        if (!(f.LearningRate > 0) || !double.IsFinite(f.LearningRate) || f.LearningRate > 1)
        {
            errors.Add(new("$.fineTuning.learningRate", $"must lie in (0, 1] (got {F(f.LearningRate)})."));
        }

        Positive(errors, "$.fineTuning.batchSize", f.BatchSize, 1);
        Positive(errors, "$.fineTuning.corpusSize", f.CorpusSize, 1);
        Positive(errors, "$.fineTuning.maxInDomainItemsPerBenchmark", f.MaxInDomainItemsPerBenchmark, 2);
        Positive(errors, "$.fineTuning.maxOutOfDomainItemsPerBenchmark", f.MaxOutOfDomainItemsPerBenchmark, 2);
        BenchmarkIds(errors, "$.fineTuning.benchmarks", f.Benchmarks, catalogue);
    }

    private static void BenchmarkIds(List<PersistenceValidationError> errors, string path, IReadOnlyList<string>? ids, BenchmarkCatalogue catalogue)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (ids?.Count ?? 0); i++)
        {
            if (!catalogue.TryGet(ids![i], out _))
            {
                errors.Add(new($"{path}[{i}]", $"'{ids[i]}' is not a benchmark in the catalogue."));
            }
            else if (!seen.Add(ids[i]))
            {
                errors.Add(new($"{path}[{i}]", $"'{ids[i]}' is listed twice."));
            }
        }
    }

    private static void Positive(List<PersistenceValidationError> errors, string path, int value, int minimum)
    {
        if (value < minimum)
        {
            errors.Add(new(path, $"must be at least {minimum} (got {value})."));
        }
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
