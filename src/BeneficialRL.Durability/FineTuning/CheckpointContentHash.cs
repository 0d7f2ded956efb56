using BeneficialRL.Learning.Checkpoints;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>The content address of a checkpoint: SHA-256 of its <c>model.safetensors</c> bytes.</summary>
public static class CheckpointContentHash
{
    /// <summary>SHA-256 (hex, lower case) of <paramref name="checkpoint"/>'s serialised weights.</summary>
    public static string Of(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var buffer = new MemoryStream();
        checkpoint.WriteWeights(buffer);
        return Sha256Hex.Of(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
