using BeneficialRL.Analysis.Items;

namespace BeneficialRL.Analysis.Refusals;

/// <summary>
/// Refusal rate of an arm over its raw answers (each seed counted, not averaged per item), overall and per seed,
/// so a gain bought by refusing more is visible next to the headline.
/// </summary>
public static class RefusalRates
{
    /// <summary>The refusal rate of <paramref name="scores"/>; records without a refusal label are not counted.</summary>
    /// <param name="arm">The arm's name.</param>
    /// <param name="scores">Item scores of the arm, any benchmarks, <see cref="ItemScore.Replicate"/> = seed index.</param>
    public static ArmRefusalRate Of(string arm, IEnumerable<ItemScore> scores)
    {
        ArgumentNullException.ThrowIfNull(arm);
        ArgumentNullException.ThrowIfNull(scores);
        var classified = scores.Where(s => s.Refused is not null).ToList();
        var perSeed = classified.GroupBy(s => s.Replicate).OrderBy(g => g.Key)
            .Select(g => new SeedRefusalRate(g.Key, g.Count(), g.Count(s => s.Refused == true), Rate(g.Count(s => s.Refused == true), g.Count())))
            .ToList();
        var refused = classified.Count(s => s.Refused == true);
        return new ArmRefusalRate(arm, classified.Count, refused, Rate(refused, classified.Count), perSeed);
    }

    private static double Rate(int refused, int classified) => classified == 0 ? double.NaN : (double)refused / classified;
}
