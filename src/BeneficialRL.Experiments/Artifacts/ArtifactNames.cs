using BeneficialRL.Primitives.Layout;

namespace BeneficialRL.Experiments.Artifacts;

/// <summary>
/// The two base-stage names <c>Stages/BaseModelStage.cs</c> still asks for here; they come from
/// <see cref="TenantBlobLayout"/>, the one place blob paths are made. Delete this class once that stage calls the
/// layout directly (it is being reworked in another change).
/// </summary>
public static class ArtifactNames
{
    /// <summary>A base checkpoint's archive, found by its spec hash (<see cref="TenantBlobLayout.CheckpointArchive"/>).</summary>
    public static string BaseCheckpoint(string specHash) => TenantBlobLayout.CheckpointArchive(CheckpointIds.Base(specHash));

    /// <summary>The base stage's record beside its checkpoint (<see cref="TenantBlobLayout.BaseRecord"/>).</summary>
    public static string BaseRecord(string specHash) => TenantBlobLayout.BaseRecord(specHash);
}
