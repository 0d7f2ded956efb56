using System.ComponentModel.DataAnnotations;
using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.SiloHost.Limits;

/// <summary>
/// The <c>Quotas</c> configuration section: bounds on what one experiment may ask for, checked when it is submitted.
/// The defaults (<see cref="ExperimentLimits.Default"/>) admit every preset.
/// </summary>
public sealed class ExperimentQuotaOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Quotas";

    /// <summary>Most GRPO steps (and base SFT steps) of one experiment.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSteps { get; set; } = ExperimentLimits.Default.MaxSteps;

    /// <summary>Most training seeds of one experiment.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSeeds { get; set; } = ExperimentLimits.Default.MaxSeeds;

    /// <summary>Most rollout tokens (arms × seeds × steps × promptsPerStep × groupSize × maxNewTokens) of one experiment.</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxExperimentCost { get; set; } = ExperimentLimits.Default.MaxCost;

    /// <summary>Per-tenant overrides of <see cref="MaxExperimentCost"/>, keyed by tenant id (<c>Quotas__TenantMaxExperimentCost__acme</c>).</summary>
    public Dictionary<string, long> TenantMaxExperimentCost { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The limits that apply to <paramref name="tenant"/>.</summary>
    public ExperimentLimits For(string tenant) =>
        new(MaxSteps, MaxSeeds, TenantMaxExperimentCost.TryGetValue(tenant, out var cost) ? cost : MaxExperimentCost);
}
