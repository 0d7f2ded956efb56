using System.ComponentModel.DataAnnotations;

namespace BeneficialRL.SiloHost.Http;

/// <summary>The <c>Api</c> configuration section.</summary>
public sealed class ApiOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Api";

    /// <summary>Largest upload (scenario JSONL, checkpoint weights) in bytes; larger bodies get 413.</summary>
    [Range(typeof(long), "1", "1099511627776")]
    public long MaxUploadBytes { get; set; } = 256L << 20;

    /// <summary>How often an SSE stream polls its experiment for new events.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
