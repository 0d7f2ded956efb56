namespace BeneficialRL.Durability.Running;

/// <summary>Wall time of one phase of a run.</summary>
/// <param name="Phase">See <see cref="PersistenceProgress"/>'s phase names, plus <c>corpus</c>.</param>
/// <param name="Subject">The subject, or empty for shared work.</param>
/// <param name="Seconds">Wall seconds.</param>
public sealed record PhaseTiming(string Phase, string Subject, double Seconds);
