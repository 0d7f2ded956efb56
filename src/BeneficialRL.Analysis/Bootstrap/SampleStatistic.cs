namespace BeneficialRL.Analysis.Bootstrap;

/// <summary>A statistic of one sample (e.g. the mean) that the bootstrap recomputes on each resample.</summary>
/// <param name="sample">The (re)sampled values; do not keep a reference, the buffer is reused.</param>
public delegate double SampleStatistic(ReadOnlySpan<double> sample);
