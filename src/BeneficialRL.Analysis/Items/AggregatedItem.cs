namespace BeneficialRL.Analysis.Items;

/// <summary>
/// One item of one arm after its replicates (training seeds) were averaged: the unit every test resamples.
/// </summary>
/// <param name="BenchmarkId">The benchmark the item belongs to.</param>
/// <param name="ItemId">The item's id.</param>
/// <param name="Score">The mean score over the item's replicates.</param>
/// <param name="Refused"><c>true</c> when any replicate refused, <c>false</c> when all were classified as answering, <c>null</c> when any replicate was unclassified.</param>
/// <param name="Domain">The item's evaluation domain, when tagged.</param>
/// <param name="Replicates">How many replicates were averaged.</param>
public sealed record AggregatedItem(
    string BenchmarkId,
    string ItemId,
    double Score,
    bool? Refused,
    string? Domain,
    int Replicates);
