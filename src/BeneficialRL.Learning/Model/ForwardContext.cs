using static TorchSharp.torch;

namespace BeneficialRL.Learning.Model;

/// <summary>What every layer of one forward pass shares: rotary tables, the attention mask and the cache.</summary>
internal sealed record ForwardContext(Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, KvCache? Cache);
