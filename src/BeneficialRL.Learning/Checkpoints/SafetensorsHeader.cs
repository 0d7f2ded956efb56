namespace BeneficialRL.Learning.Checkpoints;

/// <summary>A checked safetensors header (<see cref="Safetensors.ReadHeaderAsync"/>).</summary>
/// <param name="Entries">The tensors, in header order.</param>
/// <param name="Metadata">The string <c>__metadata__</c>; empty when absent.</param>
/// <param name="DataLength">Bytes of the data section the tensors cover.</param>
public sealed record SafetensorsHeader(IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataLength);
