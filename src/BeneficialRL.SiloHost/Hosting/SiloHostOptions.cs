using System.ComponentModel.DataAnnotations;
using BeneficialRL.Contracts.Cluster;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>The <c>Silo</c> configuration section: who this silo is in the cluster.</summary>
public sealed class SiloHostOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Silo";

    /// <summary>Silo name shown in logs and in the <c>worker</c> of resources it runs.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Comma-separated roles: <c>api</c>, <c>trainer</c> or both.</summary>
    public string Roles { get; set; } = $"{SiloRoles.Api},{SiloRoles.Trainer}";

    /// <summary>Orleans silo-to-silo port.</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The IP address this silo gives other silos and clients: the loopback address (default) for a local cluster
    /// whose silos share one machine; in Azure the Container Apps environment's ingress address, where each silo is
    /// reached on its own ports. A silo listens on every interface unless it advertises the loopback address.
    /// </summary>
    [RegularExpression(@"^[0-9a-fA-F.:]+$", ErrorMessage = "Silo:AdvertisedAddress is an IP address.")]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// libtorch's CPU threads in this silo; 0 (default): one per core. Where several trainer silos share a machine's
    /// cores, each gets its share (the local AppHost sets cores ÷ trainers), because a silo using every core only
    /// contends with the others.
    /// </summary>
    [Range(0, 1024)]
    public int TorchThreads { get; set; }

    /// <summary>The roles parsed and checked.</summary>
    public IReadOnlyList<string> ParsedRoles => SiloRoles.Parse(Roles);

    /// <summary>True when the silo serves the REST API.</summary>
    public bool IsApi => ParsedRoles.Contains(SiloRoles.Api);

    /// <summary>True when the silo runs training and evaluation.</summary>
    public bool IsTrainer => ParsedRoles.Contains(SiloRoles.Trainer);
}
