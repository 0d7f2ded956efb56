using static TorchSharp.torch;

namespace BeneficialRL.Learning.Checkpoints;

/// <summary>Tensors (on the CPU) and string metadata read from one safetensors stream; disposing frees the tensors.</summary>
/// <param name="Tensors">Tensors by name.</param>
/// <param name="Metadata">The <c>__metadata__</c> strings.</param>
public sealed record SafetensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
