using BeneficialRL.Storage.Blobs;
using Orleans;
using Orleans.Runtime;

namespace BeneficialRL.Storage.GrainState;

/// <summary>Fails silo start-up, naming the provider and the field, when a <see cref="BlobGrainStorageOptions"/> is unusable.</summary>
public sealed class BlobGrainStorageOptionsValidator(BlobGrainStorageOptions options, string name) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        if (!BlobContainerNames.IsValid(options.ContainerName))
        {
            throw new OrleansConfigurationException(
                $"Blob grain storage '{name}': ContainerName '{options.ContainerName}' is not a valid blob container name (3-63 lowercase letters, digits and single hyphens).");
        }

        if (options.GrainStorageSerializer is null)
        {
            throw new OrleansConfigurationException($"Blob grain storage '{name}': GrainStorageSerializer is not set and the silo registers no default IGrainStorageSerializer.");
        }

        if (options.BlobServiceClient is null && options.ConnectionString is { } connectionString && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OrleansConfigurationException($"Blob grain storage '{name}': ConnectionString is empty; set it, set BlobServiceClient, or leave both null to use the registered BlobServiceClient.");
        }
    }
}
