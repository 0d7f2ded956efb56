using BeneficialRL.Contracts.Cluster;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>The <c>Silo</c> configuration section: who this silo is in the cluster.</summary>
public sealed class SiloHostOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Silo";

    /// <summary>Silo name shown in logs and in the <c>worker</c> of resources it runs.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Comma-separated roles: <c>api</c>, <c>trainer</c> or both.</summary>
    public string Roles { get; set; } = $"{SiloRoles.Api},{SiloRoles.Trainer}";

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The roles parsed and checked.</summary>
    public IReadOnlyList<string> ParsedRoles => SiloRoles.Parse(Roles);

    /// <summary>True when the silo serves the REST API.</summary>
    public bool IsApi => ParsedRoles.Contains(SiloRoles.Api);

    /// <summary>True when the silo runs training and evaluation.</summary>
    public bool IsTrainer => ParsedRoles.Contains(SiloRoles.Trainer);
}
