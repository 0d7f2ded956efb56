namespace BeneficialRL.Evals.Definitions;

/// <summary>Checks that a benchmark's items fit its format before it is catalogued.</summary>
internal static class BenchmarkValidator
{
    public static void Validate(BenchmarkDefinition definition, IReadOnlyList<BenchmarkItem> items)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException($"Benchmark '{definition.Id}' has no items.", nameof(items));
        }

        if (definition.Polarity == BenchmarkPolarity.NoAlignedAnswer && definition.Format != BenchmarkFormat.McLogLik)
        {
            throw new ArgumentException($"Benchmark '{definition.Id}': no-aligned-answer scores option distributions, so its format must be mc-loglik.", nameof(definition));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var groupSizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!ids.Add(item.Id))
            {
                throw new ArgumentException($"Benchmark '{definition.Id}': item id '{item.Id}' appears twice.", nameof(items));
            }

            if (item.Prompt.Turns.Count == 0 || item.Prompt.Turns[^1].Role != Scenarios.Schema.TurnRole.User)
            {
                throw new ArgumentException($"Benchmark '{definition.Id}': item '{item.Id}' must end with a user turn.", nameof(items));
            }

            switch (definition.Format)
            {
                case BenchmarkFormat.McLogLik when item.Options.Count < 2:
                    throw new ArgumentException($"Benchmark '{definition.Id}': mc-loglik item '{item.Id}' needs at least two options (has {item.Options.Count}).", nameof(items));
                case BenchmarkFormat.McLogLik when definition.Polarity is not (BenchmarkPolarity.PairConsistency or BenchmarkPolarity.NoAlignedAnswer) && !item.Options.Any(o => o.IsAligned):
                    throw new ArgumentException($"Benchmark '{definition.Id}': mc-loglik item '{item.Id}' has no aligned option.", nameof(items));
                case BenchmarkFormat.McLogLik when definition.Polarity == BenchmarkPolarity.NoAlignedAnswer && item.Options.Any(o => o.IsAligned):
                    throw new ArgumentException($"Benchmark '{definition.Id}': item '{item.Id}' marks an aligned option, but the benchmark has no aligned answer.", nameof(items));
                case BenchmarkFormat.GenerateGrade or BenchmarkFormat.MultiTurn when definition.Grader.Kind == GraderSpec.RefusalLabelKind
                    && Scoring.RefusalLabelGrader.Canonical(item.Metadata.GetValueOrDefault(Scoring.RefusalLabelGrader.ExpectedKey, "")) is null:
                    throw new ArgumentException($"Benchmark '{definition.Id}': item '{item.Id}' needs a should-comply or should-refuse label for grader '{definition.Grader.Kind}'.", nameof(items));
                case BenchmarkFormat.GenerateGrade or BenchmarkFormat.MultiTurn when definition.Grader.Kind == GraderSpec.RubricKind && item.Rubric.Count == 0:
                    throw new ArgumentException($"Benchmark '{definition.Id}': item '{item.Id}' is rubric-graded but has no rubric.", nameof(items));
                case BenchmarkFormat.GenerateGrade or BenchmarkFormat.MultiTurn when definition.Grader.Kind is GraderSpec.NumericKind or GraderSpec.ReferenceSimilarityKind && item.CorrectReferences.Count == 0:
                    throw new ArgumentException($"Benchmark '{definition.Id}': item '{item.Id}' needs correct references for grader '{definition.Grader.Kind}'.", nameof(items));
                default:
                    break;
            }

            // Paraphrases are averaged option by option, so they must offer the same number of options.
            if (item.Metadata.TryGetValue(Scoring.OptionConsistency.GroupKey, out var group) && groupSizes.TryAdd(group, item.Options.Count) is false && groupSizes[group] != item.Options.Count)
            {
                throw new ArgumentException($"Benchmark '{definition.Id}': item '{item.Id}' has {item.Options.Count} options, but paraphrase group '{group}' has {groupSizes[group]}.", nameof(items));
            }

            if (definition.Polarity == BenchmarkPolarity.PairConsistency && item.SwappedPrompt is null)
            {
                throw new ArgumentException($"Benchmark '{definition.Id}': identity-swap item '{item.Id}' has no swapped prompt.", nameof(items));
            }
        }
    }
}
