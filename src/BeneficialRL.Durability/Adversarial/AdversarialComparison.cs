using BeneficialRL.Analysis;
using BeneficialRL.Analysis.Durability;
using BeneficialRL.Durability.Attacks;

namespace BeneficialRL.Durability.Adversarial;

/// <summary>
/// A subject's degradation against the reference subject's: subject − reference in points with a bootstrap 95% CI
/// (negative = the subject holds up better), per attack kind and per attack.
/// </summary>
/// <param name="Subject">The subject compared.</param>
/// <param name="Reference">The reference subject.</param>
/// <param name="Kinds">Per attack kind (harmful-persona, helpful-persona, transform reported apart).</param>
/// <param name="Attacks">Per attack.</param>
public sealed record AdversarialComparison(string Subject, string Reference, IReadOnlyList<KindComparison> Kinds, IReadOnlyList<AttackComparison> Attacks)
{
    /// <summary>Compares <paramref name="subject"/> with <paramref name="reference"/> through <see cref="DegradationAnalysis.Compare"/>.</summary>
    public static AdversarialComparison Compare(SubjectAdversarialResult subject, SubjectAdversarialResult reference, AnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(reference);
        var shared = subject.Attacks.Select(a => a.AttackId).Intersect(reference.Attacks.Select(a => a.AttackId), StringComparer.Ordinal).ToList();
        var attacks = subject.Attacks.Where(a => shared.Contains(a.AttackId))
            .Select(a => new AttackComparison(a.AttackId, a.Kind, DegradationAnalysis.Compare(subject.ArmFor(a.AttackId), reference.ArmFor(a.AttackId), options)))
            .ToList();
        var kinds = subject.Attacks.Where(a => shared.Contains(a.AttackId)).GroupBy(a => a.Kind).OrderBy(g => g.Key)
            .Select(g =>
            {
                var ids = g.Select(a => a.AttackId).ToList();
                return new KindComparison(g.Key, DegradationAnalysis.Compare(subject.ArmFor(ids), reference.ArmFor(ids), options));
            })
            .ToList();
        return new AdversarialComparison(subject.Subject, reference.Subject, kinds, attacks);
    }
}
