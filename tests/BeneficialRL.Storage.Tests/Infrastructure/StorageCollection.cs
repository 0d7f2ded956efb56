namespace BeneficialRL.Storage.Tests.Infrastructure;

/// <summary>Every test that needs Azurite or the silo shares one <see cref="StorageFixture"/>, started once.</summary>
[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    /// <summary>The collection name used in <c>[Collection]</c>.</summary>
    public const string Name = "Azurite";
}
