using BeneficialRL.Analysis.Checkpoints;

namespace BeneficialRL.Analysis.Tests.Checkpoints;

public sealed class CheckpointScoreTableTests
{
    [Fact]
    public void FromScores_CompleteGrid_BuildsOrdinalTable()
    {
        var table = CheckpointScoreTable.FromScores(
        [
            new("step-2", "b", 4), new("step-1", "b", 2), new("step-2", "a", 3), new("step-1", "a", 1),
        ]);

        Assert.Equal(["step-1", "step-2"], table.Checkpoints);
        Assert.Equal(["a", "b"], table.Benchmarks);
        Assert.Equal(4, table[1, 1]);
        Assert.Equal([2.0, 4.0], table.Column(1));
    }

    [Fact]
    public void FromScores_MissingCell_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => CheckpointScoreTable.FromScores([new("c1", "a", 1), new("c2", "b", 1)]));

        Assert.Contains("'c1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RaggedRow_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CheckpointScoreTable(["c1", "c2"], ["a", "b"], [[1, 2], [3]]));
        Assert.Throws<ArgumentException>(() => new CheckpointScoreTable(["c1", "c1"], ["a"], [[1], [2]]));
    }
}
