namespace BeneficialRL.Learning.Tokenization;

/// <summary>
/// Ids of the control tokens. Role markers are null for imported tokenizers that have none; the
/// chat template then writes the role as text.
/// </summary>
/// <param name="Bos">Begins every sequence.</param>
/// <param name="Eos">Ends an assistant turn and stops generation.</param>
/// <param name="Pad">Fills batches; never trained on.</param>
/// <param name="System">Opens a system turn.</param>
/// <param name="User">Opens a user turn.</param>
/// <param name="Assistant">Opens an assistant turn.</param>
public sealed record SpecialTokenIds(int Bos, int Eos, int Pad, int? System, int? User, int? Assistant);
