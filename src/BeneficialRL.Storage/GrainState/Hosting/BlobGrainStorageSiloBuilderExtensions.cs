using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace BeneficialRL.Storage.GrainState;

/// <summary>Registers grain state on the official Orleans blob provider, as the silos run it (<see cref="ResilientGrainStorage"/>).</summary>
public static class BlobGrainStorageSiloBuilderExtensions
{
    /// <summary>Adds grain storage named <paramref name="name"/>; <paramref name="configureOptions"/> sets at least the blob client.</summary>
    public static ISiloBuilder AddBlobGrainStorage(this ISiloBuilder builder, string name, Action<AzureBlobStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddBlobGrainStorage(name, configureOptions);
        return builder;
    }

    /// <summary>Adds the default grain storage.</summary>
    public static ISiloBuilder AddBlobGrainStorageAsDefault(this ISiloBuilder builder, Action<AzureBlobStorageOptions> configureOptions) =>
        builder.AddBlobGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>Adds grain storage named <paramref name="name"/> to <paramref name="services"/>.</summary>
    public static IServiceCollection AddBlobGrainStorage(this IServiceCollection services, string name, Action<AzureBlobStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        services.AddOptions<AzureBlobStorageOptions>(name).Configure(configureOptions);
        // Not the silo's default IGrainStorageSerializer (Orleans' JSON with type names): see GrainStateSerializer.
        services.TryAddSingleton<GrainStateSerializer>();
        services.ConfigureNamedOptionForLogging<AzureBlobStorageOptions>(name);
        services.AddBlobStorageResilience();
        return services.AddGrainStorage(name, ResilientGrainStorage.Create);
    }
}
