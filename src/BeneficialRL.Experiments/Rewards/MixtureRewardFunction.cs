using System.Collections.Concurrent;
using BeneficialRL.Experiments.Mixtures;
using BeneficialRL.Experiments.Specs;
using BeneficialRL.Learning.Training.Grpo;
using BeneficialRL.Scenarios.Grading;
using BeneficialRL.Scenarios.StandardTasks;

namespace BeneficialRL.Experiments.Rewards;

/// <summary>
/// The reward of one arm: each completion is graded by its slice's grader (rubric judge or generic
/// helpfulness on scenarios, the programmatic grader on standard tasks). Scores are also kept per
/// slice so each step can report mean and spread per slice.
/// </summary>
public sealed class MixtureRewardFunction : IRewardFunction
{
    private readonly IReadOnlyDictionary<string, IGrader> _graders;
    private readonly Dictionary<string, OpenAiSliceGrader> _openAi;
    private readonly HashSet<string> _perScenario;
    private readonly ConcurrentDictionary<string, OpenAiSliceGrader> _scenarioGraders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, System.Text.Json.JsonElement> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shuffled;
    private readonly ConcurrentQueue<(string Slice, double Reward)> _scored = new();
    private readonly ConcurrentQueue<(RewardRequest Request, Task<double> Reward)> _recorded = new();
    private readonly ConcurrentDictionary<(string PromptId, int Sample), GradeResult> _recordedGrades = new();
    private volatile HashSet<string>? _recording;

    /// <summary>Graders for <paramref name="slices"/>; <paramref name="modelGraders"/> supplies model-grader clients (host-provided).</summary>
    public MixtureRewardFunction(IReadOnlyList<SliceSpec> slices, Func<SliceSpec, IGrader>? modelGraders = null)
    {
        ArgumentNullException.ThrowIfNull(slices);
        _shuffled = slices.Where(s => s.ShuffleRewards).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var judge = new BuiltInJudge();
        var helpfulness = new GenericHelpfulnessGrader();
        _graders = slices.ToDictionary(
            s => s.Name,
            s => s.Grader switch
            {
                GraderKind.BuiltInJudge => (IGrader)judge,
                GraderKind.GenericHelpfulness => helpfulness,
                GraderKind.StandardTask or GraderKind.OpenAi => null!,
                GraderKind.ModelGrader => (modelGraders ?? throw new InvalidOperationException($"Slice '{s.Name}' uses a model grader but the host supplied no model-grader factory."))(s),
                _ => throw new ArgumentOutOfRangeException(nameof(slices), s.Grader, $"Slice '{s.Name}' has an unknown grader."),
            },
            StringComparer.Ordinal);
        _perScenario = slices.Where(s => s.Grader == GraderKind.OpenAi && s.OpenAiGrader is null).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        _openAi = slices.Where(s => s.Grader == GraderKind.OpenAi && s.OpenAiGrader is not null).ToDictionary(
            s => s.Name,
            s => new OpenAiSliceGrader(Scenarios.Grading.OpenAi.OpenAiGraderParser.Parse(s.OpenAiGrader ?? default, $"slice '{s.Name}'.openaiGrader") is ({ } grader, _)
                ? grader
                : throw new ArgumentException($"Slice '{s.Name}' has no valid OpenAI grader (the definition was validated when submitted).", nameof(slices))),
            StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public IReadOnlyList<Task<double>> ScoreBatch(IReadOnlyList<RewardRequest> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<Task<double>> scored = [.. batch.Select(request => ScoreAsync(request, cancellationToken))];
        var returned = _shuffled.Count == 0 ? scored : Shuffle(batch, scored, _shuffled);
        if (_recording is { } recording)
        {
            // The reward each completion is trained on (after any placebo shuffle), kept for the sampled-groups record.
            for (var i = 0; i < batch.Count; i++)
            {
                if (recording.Contains(batch[i].Prompt.Id)) _recorded.Enqueue((batch[i], returned[i]));
            }
        }

        return returned;
    }

    /// <summary>
    /// Records the completions of <paramref name="promptIds"/> scored from now on, with their rewards and the grader's
    /// per-criterion verdicts, until <see cref="DrainRecorded"/>: what <see cref="Stages.SampledGroups"/> stores.
    /// </summary>
    public void Record(IEnumerable<string> promptIds) => _recording = promptIds.ToHashSet(StringComparer.Ordinal);

    /// <summary>The completions recorded since <see cref="Record"/> (their reward NaN where scoring failed), and stops recording.</summary>
    public IReadOnlyList<(RewardRequest Request, double Reward, GradeResult? Grade)> DrainRecorded()
    {
        _recording = null;
        var result = new List<(RewardRequest, double, GradeResult?)>();
        while (_recorded.TryDequeue(out var entry))
        {
            var reward = entry.Reward.IsCompletedSuccessfully ? entry.Reward.Result : double.NaN;
            result.Add((entry.Request, reward, _recordedGrades.GetValueOrDefault((entry.Request.Prompt.Id, entry.Request.SampleIndex))));
        }

        _recordedGrades.Clear();
        return result;
    }

    private static IReadOnlyList<Task<double>> Shuffle(IReadOnlyList<RewardRequest> batch, IReadOnlyList<Task<double>> scored, HashSet<string> shuffled)
    {
        // Placebo: within each shuffled slice, completion i receives the reward graded for completion source[i]. The
        // permutation is keyed by the batch's prompt ids and sample indices, so a resumed run draws the same one.
        var source = Enumerable.Range(0, batch.Count).ToArray();
        var rng = Scenarios.Text.SplitMix64Random.For(0, string.Join("|", batch.Select(r => r.Prompt.Id + "#" + r.SampleIndex)));
        foreach (var slice in shuffled)
        {
            var members = Enumerable.Range(0, batch.Count).Where(i => (batch[i].Prompt.Payload as TrainingPrompt)?.Slice == slice).ToArray();
            var permuted = members.ToArray();
            for (var i = permuted.Length - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (permuted[i], permuted[j]) = (permuted[j], permuted[i]);
            }

            for (var i = 0; i < members.Length; i++)
            {
                source[members[i]] = permuted[i];
            }
        }

        var all = Task.WhenAll(scored);
        return [.. source.Select(async s => (await all.ConfigureAwait(false))[s])];
    }

    /// <summary>Per-slice rewards scored since the last call, and clears them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> DrainSliceRewards()
    {
        var result = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        while (_scored.TryDequeue(out var entry))
        {
            if (!result.TryGetValue(entry.Slice, out var list))
            {
                result[entry.Slice] = list = [];
            }

            list.Add(entry.Reward);
        }

        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value, StringComparer.Ordinal);
    }

    private async Task<double> ScoreAsync(RewardRequest request, CancellationToken cancellationToken)
    {
        var prompt = request.Prompt.Payload as TrainingPrompt
            ?? throw new InvalidOperationException($"Prompt '{request.Prompt.Id}' carries no TrainingPrompt payload.");
        double reward;
        if (_openAi.TryGetValue(prompt.Slice, out var openAi))
        {
            reward = await openAi.ScoreAsync(_items.GetOrAdd(prompt.Id, _ => OpenAiSliceGrader.ItemOf(prompt)), request.Completion, cancellationToken).ConfigureAwait(false);
        }
        else if (_perScenario.Contains(prompt.Slice))
        {
            var grader = _scenarioGraders.GetOrAdd(prompt.Id, _ => OpenAiSliceGrader.OfScenario(prompt));
            reward = await grader.ScoreAsync(_items.GetOrAdd(prompt.Id, _ => OpenAiSliceGrader.ItemOf(prompt)), request.Completion, cancellationToken).ConfigureAwait(false);
        }
        else if (prompt.Task is { } task)
        {
            reward = StandardTaskGrader.Grade(task, request.Completion).Score;
        }
        else
        {
            var grade = await _graders[prompt.Slice].GradeAsync(GradingRequest.ForScenario(prompt.Scenario!, request.Completion), cancellationToken).ConfigureAwait(false);
            reward = grade.Score;
            if (_recording?.Contains(request.Prompt.Id) == true) _recordedGrades[(request.Prompt.Id, request.SampleIndex)] = grade;
        }

        _scored.Enqueue((prompt.Slice, reward));
        return reward;
    }
}
