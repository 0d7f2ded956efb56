namespace BeneficialRL.Primitives.Layout;

/// <summary>How a write treats a blob that already exists at its path.</summary>
public enum ArtifactWriteMode
{
    /// <summary>
    /// Write once (<c>If-None-Match: *</c>): the same content again is an idempotent no-op (a job resumed after a
    /// lost silo writes what it wrote before); different content fails with <see cref="ArtifactConflictException"/>
    /// and the stored blob stays as it was. Checkpoints, weights, scenario versions, benchmark definitions.
    /// </summary>
    Immutable,

    /// <summary>Replace whatever is there: records that grow or are recomputed (metrics, evaluations, reports).</summary>
    Replace,
}
