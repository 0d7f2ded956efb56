namespace BeneficialRL.SiloHost.Http;

/// <summary>Query parameters of every listing.</summary>
public sealed record PageQuery(int? Limit, string? ContinuationToken)
{
    /// <summary>Default page size.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 200;

    /// <summary>Checks the limit; returns the effective value or the field at fault.</summary>
    public (int Limit, string? Error) Validate() =>
        Limit switch
        {
            null => (DefaultLimit, null),
            < 1 or > MaxLimit => (0, $"limit must be between 1 and {MaxLimit}."),
            { } value => (value, null),
        };
}
