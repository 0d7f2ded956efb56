namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>A checkable format constraint.</summary>
public enum FormatConstraintKind
{
    /// <summary>Exactly <see cref="FormatConstraint.Number"/> lines starting with "- ".</summary>
    BulletCount,

    /// <summary>No upper-case letters.</summary>
    AllLowercase,

    /// <summary>The word <see cref="FormatConstraint.Text"/> never appears.</summary>
    ForbiddenWord,

    /// <summary>Every bullet has at most <see cref="FormatConstraint.Number"/> words.</summary>
    MaxWordsPerBullet,

    /// <summary>The response ends with <see cref="FormatConstraint.Text"/>.</summary>
    EndsWith,
}
