using Orleans;

namespace BeneficialRL.Storage.Tests.GrainState;

/// <summary>A small grain state with a collection, so the JSON round trip is more than one number.</summary>
[GenerateSerializer]
public sealed class ProbeState
{
    /// <summary>A counter.</summary>
    [Id(0)]
    public int Count { get; set; }

    /// <summary>Free text.</summary>
    [Id(1)]
    public string Note { get; set; } = string.Empty;

    /// <summary>A list, to check nested values survive.</summary>
    [Id(2)]
    public List<string> History { get; set; } = [];
}
