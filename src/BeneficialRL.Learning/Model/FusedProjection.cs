namespace BeneficialRL.Learning.Model;

/// <summary>
/// When projections that read the same input (q/k/v, gate/up) run as one product against their
/// stacked weights. Stacking copies the weights, which pays off for training and prefill batches
/// but not for single-token decoding steps.
/// </summary>
internal static class FusedProjection
{
    /// <summary>Batch × sequence rows from which the fused product is used.</summary>
    public const long MinimumRows = 64;
}
