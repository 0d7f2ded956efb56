using BeneficialRL.Learning.Chat;

namespace BeneficialRL.Learning.Training.Grpo;

/// <summary>A prompt to roll out G times.</summary>
/// <param name="Id">Stable identifier (scenario id), passed to the reward.</param>
/// <param name="Conversation">Turns before the assistant reply.</param>
/// <param name="Payload">Whatever the reward needs (rubric, reference answer); opaque to the trainer.</param>
public sealed record GrpoPrompt(string Id, IReadOnlyList<ChatTurn> Conversation, object? Payload = null);
