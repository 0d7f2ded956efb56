using BeneficialRL.SiloHost.Http;
using BeneficialRL.Storage.Artifacts;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Apis;

/// <summary>What the API handlers depend on, bound with <c>[AsParameters]</c>.</summary>
public sealed record ApiServices(IGrainFactory Grains, IArtifactStore Artifacts, IOptions<ApiOptions> Options, ILoggerFactory Logging);
