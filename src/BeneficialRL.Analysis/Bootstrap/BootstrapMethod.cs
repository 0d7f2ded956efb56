namespace BeneficialRL.Analysis.Bootstrap;

/// <summary>How a bootstrap interval is read off the replicates.</summary>
public enum BootstrapMethod
{
    /// <summary>The (1−level)/2 and (1+level)/2 quantiles of the replicates (Efron's percentile interval).</summary>
    Percentile,

    /// <summary>Bias-corrected and accelerated percentiles (Efron 1987): bias from the share of replicates below the estimate, acceleration from the jackknife.</summary>
    BiasCorrectedAccelerated,
}
