using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace BeneficialRL.Storage.GrainState;

/// <summary>Registers <see cref="BlobGrainStorage"/> providers on a silo.</summary>
public static class BlobGrainStorageSiloBuilderExtensions
{
    /// <summary>Adds a blob grain storage provider named <paramref name="name"/> (use it in <c>[PersistentState("state", name)]</c>).</summary>
    public static ISiloBuilder AddBlobGrainStorage(this ISiloBuilder builder, string name, Action<BlobGrainStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddBlobGrainStorage(name, configureOptions);
        return builder;
    }

    /// <summary>Adds blob grain storage as the silo's default provider (state attributes without a provider name).</summary>
    public static ISiloBuilder AddBlobGrainStorageAsDefault(this ISiloBuilder builder, Action<BlobGrainStorageOptions> configureOptions) =>
        builder.AddBlobGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>
    /// Adds a blob grain storage provider named <paramref name="name"/>: options and their validator, the
    /// <see cref="GrainStateSerializer"/> unless the options name another, the <c>blob-storage</c> resilience pipeline,
    /// and the keyed provider that joins the silo lifecycle.
    /// </summary>
    public static IServiceCollection AddBlobGrainStorage(this IServiceCollection services, string name, Action<BlobGrainStorageOptions> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        services.AddOptions<BlobGrainStorageOptions>(name).Configure(configureOptions);
        // Not the silo's default IGrainStorageSerializer (Orleans' JSON with type names): see GrainStateSerializer.
        services.TryAddSingleton<GrainStateSerializer>();
        services.AddOptions<BlobGrainStorageOptions>(name).PostConfigure<GrainStateSerializer>(
            (options, serializer) => options.GrainStorageSerializer ??= serializer);
        services.AddTransient<IConfigurationValidator>(provider =>
            new BlobGrainStorageOptionsValidator(provider.GetRequiredService<IOptionsMonitor<BlobGrainStorageOptions>>().Get(name), name));
        services.AddBlobStorageResilience();
        return services.AddGrainStorage(name, BlobGrainStorageFactory.Create);
    }
}
