namespace BeneficialRL.Grains;

/// <summary>Names of the grain storage providers the silo host registers.</summary>
public static class GrainStorageNames
{
    /// <summary>Blob-backed grain state for every BeneficialRL grain.</summary>
    public const string Default = "store";
}
