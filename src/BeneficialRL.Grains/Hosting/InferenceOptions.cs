using System.ComponentModel.DataAnnotations;

namespace BeneficialRL.Grains.Hosting;

/// <summary>How a trainer silo serves checkpoints for inference (bound from configuration section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Inference";

    /// <summary>Checkpoints kept loaded per trainer silo; the least recently used is unloaded past this.</summary>
    [Range(1, 64)]
    public int MaxLoadedCheckpoints { get; set; } = 2;

    /// <summary>Continuous batching: requests join the running decode (true), or run one at a time (false: the baseline).</summary>
    public bool Batching { get; set; } = true;

    /// <summary>Most sequences decoding at once; further choices wait for a row to finish.</summary>
    [Range(1, 1024)]
    public int MaxBatchRows { get; set; } = 64;
}
