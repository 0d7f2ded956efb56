using BeneficialRL.Learning.Chat;
using BeneficialRL.Scenarios.Grading;

namespace BeneficialRL.Experiments.Stages;

/// <summary>One sampled completion of a GRPO group, as the reward saw it.</summary>
/// <param name="Index">Sample index within the group.</param>
/// <param name="Text">The completion.</param>
/// <param name="Truncated">Whether it hit the token limit.</param>
/// <param name="Reward">The reward training used (after a placebo shuffle, where the slice has one); NaN when scoring failed or timed out.</param>
/// <param name="Advantage">The group-normalised advantage GRPO trained on: (reward − group mean) / (population std + 1e-6); 0 in a zero-variance group.</param>
/// <param name="Grader">The grader's name (<c>standard-task</c> for programmatic tasks).</param>
/// <param name="Criteria">Per-criterion rubric verdicts of that grader (empty for programmatic tasks).</param>
public sealed record SampledCompletion(int Index, string Text, bool Truncated, double Reward, double Advantage, string Grader, IReadOnlyList<CriterionResult> Criteria);

/// <summary>A prompt's GRPO group at one step: the prompt and its G completions.</summary>
/// <param name="Step">0-based RL step.</param>
/// <param name="PromptId">The training prompt.</param>
/// <param name="Slice">Its mixture slice.</param>
/// <param name="Prompt">The conversation the policy was given.</param>
/// <param name="Completions">The group, by sample index.</param>
public sealed record SampledGroup(long Step, string PromptId, string Slice, IReadOnlyList<ChatTurn> Prompt, IReadOnlyList<SampledCompletion> Completions)
{
    /// <summary>Mean reward of the group's scored completions.</summary>
    public double MeanReward => Completions.Select(c => c.Reward).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
}

/// <summary>The sampled groups one run recorded at one step (<c>samples-stepNNNNN.json</c>).</summary>
/// <param name="Arm">Arm.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="Step">0-based RL step.</param>
/// <param name="Groups">The recorded prompts' groups.</param>
public sealed record SampledGroupsRecord(string Arm, long Seed, long Step, IReadOnlyList<SampledGroup> Groups);

/// <summary>
/// Which steps and prompts a training run records, so a researcher can read what the policy said when reward moved
/// without storing every rollout: the first step, every <c>checkpointEvery</c>-th step and the last one, and at most
/// <see cref="PromptsPerStep"/> prompts of each (taken round-robin over the slices, so the trait slice shows up).
/// </summary>
public static class SampledGroups
{
    /// <summary>Prompts recorded per recorded step.</summary>
    public const int PromptsPerStep = 4;

    /// <summary>Whether <paramref name="step"/> (0-based) of a run of <paramref name="steps"/> is recorded.</summary>
    public static bool Records(long step, int steps, int checkpointEvery) =>
        step == 0 || step == steps - 1 || (checkpointEvery > 0 && step % checkpointEvery == 0);

    /// <summary>Every recorded step of a run, ascending.</summary>
    public static IEnumerable<long> RecordedSteps(int steps, int checkpointEvery)
    {
        for (long step = 0; step < steps; step++)
        {
            if (Records(step, steps, checkpointEvery)) yield return step;
        }
    }

    /// <summary>The prompts to record out of a step's batch: round-robin over slices in batch order, at most <see cref="PromptsPerStep"/>.</summary>
    public static IReadOnlyList<string> Choose(IEnumerable<(string Id, string Slice)> batch)
    {
        var bySlice = batch.GroupBy(p => p.Slice, StringComparer.Ordinal).Select(g => new Queue<string>(g.Select(p => p.Id))).ToList();
        var chosen = new List<string>();
        while (chosen.Count < PromptsPerStep && bySlice.Any(q => q.Count > 0))
        {
            foreach (var queue in bySlice.Where(q => q.Count > 0))
            {
                if (chosen.Count == PromptsPerStep) break;
                chosen.Add(queue.Dequeue());
            }
        }

        return chosen;
    }

    /// <summary>GRPO's advantages of one group, computed as the trainer does (population std; 0 without variance).</summary>
    public static IReadOnlyList<double> Advantages(IReadOnlyList<double> rewards, double epsilon = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        var scored = rewards.Where(double.IsFinite).ToList();
        var mean = scored.Count > 0 ? scored.Average() : 0;
        var std = scored.Count > 0 ? Math.Sqrt(scored.Select(r => (r - mean) * (r - mean)).Average()) : 0;
        if (scored.Count < 2 || std < 1e-12) return [.. rewards.Select(_ => 0.0)];
        return [.. rewards.Select(r => double.IsFinite(r) ? (r - mean) / (std + epsilon) : 0.0)];
    }
}
