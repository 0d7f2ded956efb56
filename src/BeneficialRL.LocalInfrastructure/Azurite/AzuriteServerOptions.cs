namespace BeneficialRL.LocalInfrastructure;

/// <summary>How <see cref="AzuriteServer.StartAsync"/> runs Azurite.</summary>
public sealed class AzuriteServerOptions
{
    /// <summary>Folder Azurite persists its data in; null keeps everything in memory (<c>--inMemoryPersistence</c>).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Receives each line Azurite writes (and the installer's progress); null discards them.</summary>
    public Action<string>? Log { get; set; }
}
