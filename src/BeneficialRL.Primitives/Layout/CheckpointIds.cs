using System.Globalization;
using BeneficialRL.Primitives.Resources;
using BeneficialRL.Primitives.Hashing;

namespace BeneficialRL.Primitives.Layout;

/// <summary>
/// The one checkpoint naming scheme. A checkpoint the service produces has a folder key (its blobs live under
/// <see cref="TenantBlobLayout.CheckpointFolder"/>) and a resource id (its checkpoint grain). Both read
/// <c>{owner}-{subject}-{stepNNNNN|doseNNNN}</c>; when that is not a valid resource id (arm names are free-form,
/// ids stop at 64 characters) the id replaces the subject with a short hash of it, while the folder keeps the plain
/// key because stored checkpoints already live there. An imported checkpoint's folder key is its id.
/// </summary>
public static class CheckpointIds
{
    /// <summary>The id and folder key of a base checkpoint: experiments with the same base spec share it.</summary>
    public static string Base(string specHash) => $"base-{TenantBlobLayout.Segment(specHash, nameof(specHash))}";

    /// <summary>The folder key of a training run's checkpoint at <paramref name="step"/>.</summary>
    public static string RunFolder(string experimentId, string arm, long seed, long step) =>
        $"{TenantBlobLayout.Segment(experimentId, nameof(experimentId))}-{TenantBlobLayout.RunKey(arm, seed)}-{TenantBlobLayout.StepName(step)}";

    /// <summary>The resource id of a training run's checkpoint at <paramref name="step"/>.</summary>
    public static string Run(string experimentId, string arm, long seed, long step) =>
        ValidOr(
            RunFolder(experimentId, arm, seed, step),
            $"{experimentId}-{ShortHash(arm)}-s{seed.ToString(CultureInfo.InvariantCulture)}-{TenantBlobLayout.StepName(step)}");

    /// <summary>
    /// The folder key of a harmful fine-tuning dose checkpoint; <paramref name="owner"/> is the experiment or
    /// persistence run, <paramref name="subject"/> the checkpoint under test (an arm name, or its index as <c>s0</c>).
    /// </summary>
    public static string DoseFolder(string owner, string subject, int dose) =>
        $"{TenantBlobLayout.Segment(owner, nameof(owner))}-{TenantBlobLayout.Segment(subject, nameof(subject))}-{TenantBlobLayout.DoseName(dose)}";

    /// <summary>The resource id of a harmful fine-tuning dose checkpoint (see <see cref="DoseFolder"/>).</summary>
    public static string Dose(string owner, string subject, int dose) =>
        ValidOr(DoseFolder(owner, subject, dose), $"{owner}-{ShortHash(subject)}-{TenantBlobLayout.DoseName(dose)}");

    private static string ValidOr(string plain, string hashedSubject)
    {
        if (ResourceIds.IsValidId(plain)) return plain;
        if (ResourceIds.IsValidId(hashedSubject)) return hashedSubject;
        // Only an owner id near the 64-character limit gets here: hash the whole key, still deterministic.
        return $"ck-{Sha256Hex.Of(plain)[..40]}";
    }

    private static string ShortHash(string text) => Sha256Hex.Of(text)[..8];
}
