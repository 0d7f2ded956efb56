namespace BeneficialRL.Analysis.Checkpoints;

/// <summary>
/// A complete checkpoint × benchmark score matrix: the input of the cross-checkpoint correlations and PCA.
/// </summary>
public sealed class CheckpointScoreTable
{
    private readonly double[][] _scores;

    /// <summary>Builds a table from row-major scores.</summary>
    /// <param name="checkpoints">Row labels (distinct).</param>
    /// <param name="benchmarks">Column labels (distinct).</param>
    /// <param name="scores"><c>scores[checkpoint][benchmark]</c>, finite, one row per checkpoint and one column per benchmark.</param>
    /// <exception cref="ArgumentException">Labels repeat, shapes disagree, or a score is not finite.</exception>
    public CheckpointScoreTable(IReadOnlyList<string> checkpoints, IReadOnlyList<string> benchmarks, IReadOnlyList<IReadOnlyList<double>> scores)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(benchmarks);
        ArgumentNullException.ThrowIfNull(scores);
        RequireDistinct(checkpoints, "checkpoint", nameof(checkpoints));
        RequireDistinct(benchmarks, "benchmark", nameof(benchmarks));
        if (scores.Count != checkpoints.Count)
        {
            throw new ArgumentException($"scores has {scores.Count} rows but there are {checkpoints.Count} checkpoints.", nameof(scores));
        }

        _scores = new double[checkpoints.Count][];
        for (var r = 0; r < scores.Count; r++)
        {
            if (scores[r].Count != benchmarks.Count)
            {
                throw new ArgumentException($"Row of checkpoint '{checkpoints[r]}' has {scores[r].Count} scores but there are {benchmarks.Count} benchmarks.", nameof(scores));
            }

            _scores[r] = scores[r].ToArray();
            for (var c = 0; c < _scores[r].Length; c++)
            {
                if (!double.IsFinite(_scores[r][c]))
                {
                    throw new ArgumentException($"Score of checkpoint '{checkpoints[r]}' on benchmark '{benchmarks[c]}' is not finite ({_scores[r][c]}).", nameof(scores));
                }
            }
        }

        Checkpoints = checkpoints.ToArray();
        Benchmarks = benchmarks.ToArray();
    }

    /// <summary>Row labels.</summary>
    public IReadOnlyList<string> Checkpoints { get; }

    /// <summary>Column labels.</summary>
    public IReadOnlyList<string> Benchmarks { get; }

    /// <summary>The score of row <paramref name="checkpoint"/>, column <paramref name="benchmark"/>.</summary>
    /// <param name="checkpoint">Row index.</param>
    /// <param name="benchmark">Column index.</param>
    public double this[int checkpoint, int benchmark] => _scores[checkpoint][benchmark];

    /// <summary>A copy of one benchmark's scores over the checkpoints.</summary>
    /// <param name="benchmark">Column index.</param>
    public double[] Column(int benchmark) => _scores.Select(row => row[benchmark]).ToArray();

    /// <summary>
    /// Builds the table from long-format records; checkpoints and benchmarks in ordinal order.
    /// </summary>
    /// <param name="scores">Exactly one record per (checkpoint, benchmark) pair.</param>
    /// <exception cref="ArgumentException">A pair is missing or repeated.</exception>
    public static CheckpointScoreTable FromScores(IEnumerable<CheckpointScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var byPair = new Dictionary<(string, string), double>();
        foreach (var score in scores)
        {
            if (!byPair.TryAdd((score.CheckpointId, score.BenchmarkId), score.Score))
            {
                throw new ArgumentException($"Checkpoint '{score.CheckpointId}' has two scores for benchmark '{score.BenchmarkId}'.", nameof(scores));
            }
        }

        var checkpoints = byPair.Keys.Select(k => k.Item1).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var benchmarks = byPair.Keys.Select(k => k.Item2).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = checkpoints.Select(checkpoint => (IReadOnlyList<double>)benchmarks.Select(benchmark =>
            byPair.TryGetValue((checkpoint, benchmark), out var value)
                ? value
                : throw new ArgumentException($"Checkpoint '{checkpoint}' has no score for benchmark '{benchmark}'; the table must be complete.", nameof(scores))).ToArray()).ToList();
        return new CheckpointScoreTable(checkpoints, benchmarks, rows);
    }

    private static void RequireDistinct(IReadOnlyList<string> labels, string kind, string parameter)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                throw new ArgumentException($"A {kind} label is empty.", parameter);
            }

            if (!seen.Add(label))
            {
                throw new ArgumentException($"The {kind} '{label}' appears twice.", parameter);
            }
        }
    }
}
