using System.Globalization;

namespace BeneficialRL.Durability.FineTuning;

/// <summary>Where a dose checkpoint comes from: its parent in the ladder, its start, the corpus and the dose.</summary>
/// <param name="Subject">The subject the ladder started from (e.g. <c>treatment</c>).</param>
/// <param name="Domain">The harmful corpus' domain.</param>
/// <param name="Dose">Cumulative SFT steps on the corpus.</param>
/// <param name="ParentContentHash">Content hash of the previous rung's weights (the start's for the first positive dose; its own for dose 0).</param>
/// <param name="ContentHash">SHA-256 (hex) of this checkpoint's <c>model.safetensors</c>.</param>
/// <param name="StartContentHash">Content hash of the subject's checkpoint the ladder started from.</param>
/// <param name="CorpusHash">The corpus' content hash.</param>
/// <param name="LearningRate">SFT learning rate.</param>
public sealed record CheckpointLineage(
    string Subject,
    string Domain,
    int Dose,
    string ParentContentHash,
    string ContentHash,
    string StartContentHash,
    string CorpusHash,
    double LearningRate)
{
    /// <summary>The lineage as checkpoint labels (<c>meta.json</c>), keys camelCase.</summary>
    public IReadOnlyDictionary<string, string> ToLabels() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["kind"] = "harmful-sft",
        ["subject"] = Subject,
        ["domain"] = Domain,
        ["dose"] = Dose.ToString(CultureInfo.InvariantCulture),
        ["parentContentHash"] = ParentContentHash,
        ["startContentHash"] = StartContentHash,
        ["corpusHash"] = CorpusHash,
        ["learningRate"] = LearningRate.ToString("R", CultureInfo.InvariantCulture),
    };
}
