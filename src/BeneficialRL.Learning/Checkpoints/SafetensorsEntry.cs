namespace BeneficialRL.Learning.Checkpoints;

/// <summary>One tensor of a safetensors header.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">Element type, one the engine reads (F32, F16, BF16, I64).</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">First byte in the data section.</param>
/// <param name="End">Byte after the last, in the data section.</param>
public sealed record SafetensorsEntry(string Name, string DType, long[] Shape, long Begin, long End);
