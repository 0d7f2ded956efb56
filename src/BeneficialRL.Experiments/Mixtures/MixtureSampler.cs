using BeneficialRL.Experiments.Specs;
using BeneficialRL.Learning.Training;

namespace BeneficialRL.Experiments.Mixtures;

/// <summary>
/// Draws each GRPO batch from an arm's slices in proportion to their shares. A batch of P prompts
/// cannot always split exactly (5% of 8 is 0.4), so per-slice counts carry their rounding debt from
/// step to step (largest remainder with carry): every batch has exactly P prompts, and after any
/// number of steps each slice's total is within one prompt of share × P × steps. Which prompts are
/// drawn depends only on (seed, step, slice), so a resumed run draws the same batches.
/// </summary>
public sealed class MixtureSampler
{
    private readonly IReadOnlyList<SliceSpec> _slices;
    private readonly IReadOnlyList<IReadOnlyList<TrainingPrompt>> _pools;
    private readonly int _promptsPerStep;
    private readonly long _seed;

    /// <summary>A sampler over <paramref name="pools"/> (one per slice, same order as <paramref name="slices"/>).</summary>
    public MixtureSampler(IReadOnlyList<SliceSpec> slices, IReadOnlyList<IReadOnlyList<TrainingPrompt>> pools, int promptsPerStep, long seed)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(pools);
        if (slices.Count != pools.Count)
        {
            throw new ArgumentException($"{slices.Count} slices but {pools.Count} prompt pools.", nameof(pools));
        }

        for (var i = 0; i < pools.Count; i++)
        {
            if (pools[i].Count == 0)
            {
                throw new ArgumentException($"Slice '{slices[i].Name}' has an empty prompt pool; widen its filters.", nameof(pools));
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptsPerStep);
        _slices = slices;
        _pools = pools;
        _promptsPerStep = promptsPerStep;
        _seed = seed;
    }

    /// <summary>Prompts per slice at every step 0 … <paramref name="step"/>; the last row is <paramref name="step"/>'s allocation.</summary>
    public IReadOnlyList<int[]> Allocations(long step)
    {
        var debt = new double[_slices.Count];
        var rows = new List<int[]>();
        for (long t = 0; t <= step; t++)
        {
            var want = _slices.Select((s, i) => (s.Share * _promptsPerStep) + debt[i]).ToArray();
            var counts = want.Select(w => Math.Max(0, (int)Math.Floor(w + 1e-9))).ToArray();
            var left = _promptsPerStep - counts.Sum();
            foreach (var i in Enumerable.Range(0, counts.Length).OrderByDescending(i => want[i] - counts[i]).ThenBy(i => i).Take(Math.Max(0, left)))
            {
                counts[i]++;
            }

            for (var i = 0; i < debt.Length; i++)
            {
                debt[i] = want[i] - counts[i];
            }

            rows.Add(counts);
        }

        return rows;
    }

    /// <summary>The batch of step <paramref name="step"/>: exactly the allocated number of prompts from each slice.</summary>
    public IReadOnlyList<TrainingPrompt> Batch(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var counts = Allocations(step)[^1];
        var batch = new List<TrainingPrompt>(_promptsPerStep);
        for (var i = 0; i < counts.Length; i++)
        {
            var pool = _pools[i];
            var random = new DeterministicRandom(StableHash(_seed, step, _slices[i].Name));
            // Without replacement within a batch while the pool allows it.
            var picked = new HashSet<int>();
            for (var k = 0; k < counts[i]; k++)
            {
                int index;
                do
                {
                    index = random.NextInt(pool.Count);
                }
                while (picked.Count < pool.Count && !picked.Add(index));
                batch.Add(pool[index]);
            }
        }

        return batch;
    }

    private static long StableHash(long seed, long step, string slice)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in BitConverter.GetBytes(seed).Concat(BitConverter.GetBytes(step)).Concat(System.Text.Encoding.UTF8.GetBytes(slice)))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return (long)(hash >> 1);
    }
}
