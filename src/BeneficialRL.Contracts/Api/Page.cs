namespace BeneficialRL.Contracts.Api;

/// <summary>One page of a listing (<c>?limit=&amp;continuationToken=</c>); pass <see cref="ContinuationToken"/> back to get the next.</summary>
/// <param name="Items">The resources of this page.</param>
/// <param name="ContinuationToken">Where the next page starts; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);
