namespace BeneficialRL.Analysis.Transfer;

/// <summary>
/// Training conditions × evaluation domains; each cell is the condition's mean gain over the baseline
/// on the items of that domain.
/// </summary>
/// <param name="TrainingConditions">Row labels, in the order given.</param>
/// <param name="EvaluationDomains">Column labels, ordinal order.</param>
/// <param name="Cells">Row-major cells: <c>Cells[row][column]</c>.</param>
/// <param name="UntaggedItems">Items (over all arms) without a domain, which belong to no column.</param>
public sealed record TransferMatrix(
    IReadOnlyList<string> TrainingConditions,
    IReadOnlyList<string> EvaluationDomains,
    IReadOnlyList<IReadOnlyList<TransferCell>> Cells,
    int UntaggedItems)
{
    /// <summary>The cell of a condition and a domain.</summary>
    /// <param name="trainingCondition">A row label.</param>
    /// <param name="evaluationDomain">A column label.</param>
    /// <exception cref="KeyNotFoundException">The label is not in the matrix.</exception>
    public TransferCell this[string trainingCondition, string evaluationDomain]
    {
        get
        {
            var row = IndexOf(TrainingConditions, trainingCondition, "training condition");
            var column = IndexOf(EvaluationDomains, evaluationDomain, "evaluation domain");
            return Cells[row][column];
        }
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label, string kind)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"The transfer matrix has no {kind} '{label}'.");
    }
}
