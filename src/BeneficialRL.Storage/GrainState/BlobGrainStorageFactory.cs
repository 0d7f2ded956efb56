using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Storage.GrainState;

/// <summary>Creates the <see cref="BlobGrainStorage"/> registered under a provider name, with that name's options.</summary>
public static class BlobGrainStorageFactory
{
    /// <summary>Resolves the named <see cref="BlobGrainStorageOptions"/> and builds the provider.</summary>
    public static BlobGrainStorage Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptionsMonitor<BlobGrainStorageOptions>>().Get(name);
        return ActivatorUtilities.CreateInstance<BlobGrainStorage>(services, name, options);
    }
}
