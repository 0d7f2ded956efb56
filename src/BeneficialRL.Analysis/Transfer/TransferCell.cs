using BeneficialRL.Analysis.Bootstrap;
using BeneficialRL.Analysis.HypothesisTests;

namespace BeneficialRL.Analysis.Transfer;

/// <summary>One cell of the transfer matrix: a training condition's gain over the baseline in one evaluation domain.</summary>
/// <param name="TrainingCondition">The row: the treatment condition (e.g. <c>multi-domain</c>, <c>health-only</c>).</param>
/// <param name="EvaluationDomain">The column: the evaluation domain of the items.</param>
/// <param name="ConditionItems">Items of the condition in this domain.</param>
/// <param name="BaselineItems">Baseline items in this domain.</param>
/// <param name="DeltaPoints">Mean condition − baseline in points with a percentile bootstrap CI; null with fewer than two items in either arm.</param>
/// <param name="Welch">Welch's test of the difference (score units); null when not tested.</param>
/// <param name="QValue">Benjamini–Hochberg q-value across all tested cells of the matrix; null when not tested.</param>
public sealed record TransferCell(
    string TrainingCondition,
    string EvaluationDomain,
    int ConditionItems,
    int BaselineItems,
    BootstrapInterval? DeltaPoints,
    TTestResult? Welch,
    double? QValue);
