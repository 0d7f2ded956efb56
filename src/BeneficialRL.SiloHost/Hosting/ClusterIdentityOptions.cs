using System.ComponentModel.DataAnnotations;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>The <c>Orleans</c> configuration section: which cluster this silo joins.</summary>
public sealed class ClusterIdentityOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Orleans";

    /// <summary>The deployment's cluster: silos with the same id form one cluster.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "beneficialrl-local";

    /// <summary>The service: grain state and reminders are keyed by it, so it outlives deployments.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "beneficialrl";
}
