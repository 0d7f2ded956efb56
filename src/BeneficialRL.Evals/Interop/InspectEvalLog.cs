using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeneficialRL.Evals.Definitions;
using BeneficialRL.Evals.Scoring;
using BeneficialRL.Scenarios.Schema;

namespace BeneficialRL.Evals.Interop;

/// <summary>What an Inspect log says about the run beyond its benchmark and per-item results.</summary>
/// <param name="RunId">The benchmark run's id (Inspect's <c>eval_id</c>, <c>run_id</c> and <c>task_id</c>).</param>
/// <param name="Model">The evaluated model as Inspect names models, <c>provider/name</c> (e.g. <c>beneficialrl/ckpt-…</c>).</param>
/// <param name="Created">When the run was created.</param>
/// <param name="StartedAt">When evaluation started.</param>
/// <param name="CompletedAt">When it finished.</param>
/// <param name="ServiceVersion">The service's version, recorded as Inspect records package versions.</param>
public sealed record InspectRun(string RunId, string Model, DateTimeOffset Created, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, string ServiceVersion);

/// <summary>
/// Writes a completed benchmark run as an Inspect <c>.eval</c> log, so <c>inspect view</c> (and anything that reads
/// Inspect logs) opens our results: a zip holding <c>_journal/start.json</c> (the eval spec and plan),
/// <c>samples/{id}_epoch_1.json</c> per item (input, target, choices, the model's output, the score with its
/// explanation, and our per-item metadata), <c>summaries.json</c>, <c>reductions.json</c> and <c>header.json</c>
/// (spec, plan, results, stats) — the members and names of Inspect's own eval recorder (log format version 2). The
/// JSON follows Inspect's published schema (its OpenAPI document's component schemas; a test validates every member).
/// </summary>
/// <remarks>
/// Mapping: an mc-loglik item's choices are its options and its output is the option our scorer ranks first; the
/// score's value is our item score (aligned probability mass, or the mean grade of generated samples), its answer the
/// predicted option or the first sample's text. Generated items with several samples are one Inspect sample each,
/// with every sample's text and grade in the score metadata (Inspect's epochs re-run the whole solver, which is not
/// what our samples are). No transcript events are written: the policy's calls are not recorded per item.
/// </remarks>
public static class InspectEvalLog
{
    /// <summary>The log format version Inspect writes today.</summary>
    public const int FormatVersion = 2;

    /// <summary>The scorer name under which the item score appears.</summary>
    public const string ScorerName = "beneficialrl_score";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>
    /// The file name Inspect would give this log: <c>{created}_{task}_{task id}.eval</c>, with <c>_ / : +</c> in each
    /// component replaced by <c>-</c>, as Inspect's recorder names its files.
    /// </summary>
    public static string FileName(InspectRun run, BenchmarkDefinition benchmark)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(benchmark);
        return $"{Clean(Iso(run.Created))}_{Clean(benchmark.Id)}_{Clean(run.RunId)}.eval";
    }

    /// <summary>Writes the zip to <paramref name="destination"/> (left open).</summary>
    /// <exception cref="ArgumentException">A result names an item the benchmark does not have.</exception>
    public static void Write(Stream destination, InspectRun run, Benchmark benchmark, IReadOnlyList<BenchmarkItemResult> results)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(results);

        var items = benchmark.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var samples = results.Select(result => Sample(
            items.TryGetValue(result.ItemId, out var item) ? item : throw new ArgumentException($"Result for item '{result.ItemId}', which benchmark '{benchmark.Definition.Id}' does not have.", nameof(results)),
            result, run)).ToList();

        var spec = Spec(run, benchmark.Definition, results);
        var plan = Plan(benchmark.Definition);
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, "_journal/start.json", new JsonObject { ["version"] = FormatVersion, ["eval"] = spec.DeepClone(), ["plan"] = plan.DeepClone() });
        foreach (var (sample, result) in samples.Zip(results))
        {
            Add(zip, $"samples/{result.ItemId}_epoch_1.json", sample);
        }

        Add(zip, "summaries.json", new JsonArray([.. samples.Select(Summary)]));
        Add(zip, "reductions.json", new JsonArray(new JsonObject
        {
            ["scorer"] = ScorerName,
            ["reducer"] = "mean",
            ["samples"] = new JsonArray([.. results.Select(r => new JsonObject { ["value"] = r.Score, ["sample_id"] = r.ItemId, ["history"] = new JsonArray() })]),
        }));
        Add(zip, "header.json", new JsonObject
        {
            ["version"] = FormatVersion,
            ["status"] = "success",
            ["eval"] = spec,
            ["plan"] = plan,
            ["results"] = Results(results),
            ["stats"] = new JsonObject
            {
                ["started_at"] = Iso(run.StartedAt),
                ["completed_at"] = Iso(run.CompletedAt),
                ["model_usage"] = new JsonObject(),
                ["role_usage"] = new JsonObject(),
                ["connection_limit_history"] = new JsonArray(),
            },
            ["invalidated"] = false,
            ["tags"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
        });
    }

    private static JsonObject Spec(InspectRun run, BenchmarkDefinition benchmark, IReadOnlyList<BenchmarkItemResult> results) => new()
    {
        ["eval_id"] = run.RunId,
        ["run_id"] = run.RunId,
        ["created"] = Iso(run.Created),
        ["task"] = benchmark.Id,
        ["task_id"] = run.RunId,
        ["task_version"] = benchmark.Version,
        ["task_display_name"] = benchmark.Name,
        ["task_attribs"] = new JsonObject { ["family"] = benchmark.Family, ["format"] = FormatName(benchmark.Format), ["polarity"] = benchmark.Polarity.ToString() },
        ["task_args"] = new JsonObject(),
        ["task_args_passed"] = new JsonObject(),
        ["dataset"] = new JsonObject
        {
            ["name"] = benchmark.Id,
            ["location"] = $"beneficialrl:benchmarks/{benchmark.Id}@{benchmark.ContentHash}",
            ["samples"] = results.Count,
            ["sample_ids"] = new JsonArray([.. results.Select(r => JsonValue.Create(r.ItemId))]),
            ["shuffled"] = false,
        },
        ["model"] = run.Model,
        ["model_generate_config"] = new JsonObject(),
        ["model_args"] = new JsonObject(),
        ["config"] = new JsonObject(),
        ["packages"] = new JsonObject { ["beneficialrl"] = run.ServiceVersion },
        ["scorers"] = new JsonArray(new JsonObject { ["name"] = ScorerName, ["options"] = new JsonObject { ["grader"] = benchmark.Grader.Kind }, ["metrics"] = new JsonArray(Metric("mean"), Metric("stderr")), ["metadata"] = new JsonObject() }),
        ["metadata"] = new JsonObject { ["traits"] = new JsonArray([.. benchmark.Traits.Select(t => JsonValue.Create(t))]), ["content_hash"] = benchmark.ContentHash },
    };

    private static JsonObject Metric(string name) => new() { ["name"] = name, ["options"] = new JsonObject() };

    private static JsonObject Plan(BenchmarkDefinition benchmark) => new()
    {
        ["name"] = "plan",
        ["steps"] = new JsonArray(new JsonObject
        {
            ["solver"] = benchmark.Format == BenchmarkFormat.McLogLik ? "beneficialrl/option_loglik" : "beneficialrl/generate",
            ["params"] = new JsonObject(),
            ["params_passed"] = new JsonObject(),
        }),
        ["config"] = new JsonObject(),
    };

    private static JsonObject Results(IReadOnlyList<BenchmarkItemResult> results)
    {
        var mean = results.Count == 0 ? 0 : results.Average(r => r.Score);
        var stderr = results.Count < 2 ? 0 : Math.Sqrt(results.Sum(r => (r.Score - mean) * (r.Score - mean)) / (results.Count - 1) / results.Count);
        return new JsonObject
        {
            ["total_samples"] = results.Count,
            ["completed_samples"] = results.Count,
            ["scores"] = new JsonArray(new JsonObject
            {
                ["name"] = ScorerName,
                ["scorer"] = ScorerName,
                ["reducer"] = "mean",
                ["scored_samples"] = results.Count,
                ["unscored_samples"] = 0,
                ["params"] = new JsonObject(),
                ["metrics"] = new JsonObject
                {
                    ["mean"] = new JsonObject { ["name"] = "mean", ["value"] = mean, ["params"] = new JsonObject() },
                    ["stderr"] = new JsonObject { ["name"] = "stderr", ["value"] = stderr, ["params"] = new JsonObject() },
                },
            }),
        };
    }

    private static JsonObject Sample(BenchmarkItem item, BenchmarkItemResult result, InspectRun run)
    {
        var input = Messages(item.Prompt);
        var predicted = result.PredictedOption is int p && p >= 0 && p < item.Options.Count ? item.Options[p].Text : null;
        var completion = predicted ?? result.Samples.FirstOrDefault()?.Text ?? string.Empty;
        var messages = Messages(item.Prompt);
        messages.Add(Message("assistant", completion));
        var aligned = item.Options.Where(o => o.IsAligned).Select(o => o.Text).ToList();
        var target = aligned.Count > 0 ? aligned : item.CorrectReferences;

        var metadata = new JsonObject
        {
            ["domain"] = item.Domain,
            ["tags"] = new JsonArray([.. item.Tags.Select(t => JsonValue.Create(t))]),
        };
        foreach (var (key, value) in item.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            metadata[key] = value;
        }

        return new JsonObject
        {
            ["id"] = item.Id,
            ["epoch"] = 1,
            ["input"] = input,
            ["target"] = target.Count == 1 ? JsonValue.Create(target[0]) : new JsonArray([.. target.Select(t => JsonValue.Create(t))]),
            ["choices"] = item.Options.Count > 0 ? new JsonArray([.. item.Options.Select(o => JsonValue.Create(o.Text))]) : null,
            ["messages"] = messages,
            ["output"] = new JsonObject
            {
                ["model"] = run.Model,
                ["choices"] = new JsonArray(new JsonObject { ["message"] = Message("assistant", completion), ["stop_reason"] = "stop" }),
                ["completion"] = completion,
            },
            ["scores"] = new JsonObject { [ScorerName] = Score(result, predicted) },
            ["metadata"] = metadata,
            ["store"] = new JsonObject(),
            ["events"] = new JsonArray(),
            ["model_usage"] = new JsonObject(),
            ["role_usage"] = new JsonObject(),
            ["attachments"] = new JsonObject(),
        };
    }

    private static JsonObject Score(BenchmarkItemResult result, string? predicted)
    {
        var metadata = new JsonObject();
        if (result.Correct is bool correct) metadata["correct"] = correct;
        if (result.RawScore is double raw) metadata["raw_score"] = raw;
        if (result.RawCorrect is bool rawCorrect) metadata["raw_correct"] = rawCorrect;
        if (result.NonRefusalScore is double nonRefusal) metadata["non_refusal_score"] = nonRefusal;
        if (result.Options.Count > 0) metadata["options"] = Options(result.Options);
        if (result.SwappedOptions.Count > 0) metadata["swapped_options"] = Options(result.SwappedOptions);
        if (result.Samples.Count > 0)
        {
            metadata["samples"] = new JsonArray([.. result.Samples.Select(s => new JsonObject
            {
                ["variant"] = s.Variant,
                ["text"] = s.Text,
                ["grade"] = s.Grade,
                ["refusal"] = s.Refusal.ToString(),
                ["grader"] = s.Grader,
            })]);
        }

        var score = new JsonObject
        {
            ["value"] = result.Score,
            ["explanation"] = result.Options.Count > 0
                ? $"Aligned probability mass {result.Score.ToString("0.####", CultureInfo.InvariantCulture)} over {result.Options.Count} options (per-token log-probabilities)."
                : $"Mean grade {result.Score.ToString("0.####", CultureInfo.InvariantCulture)} over {result.Samples.Count} sample(s).",
            ["metadata"] = metadata,
            ["history"] = new JsonArray(),
        };
        if ((predicted ?? result.Samples.FirstOrDefault()?.Text) is { } answer) score["answer"] = answer;
        return score;
    }

    private static JsonArray Options(IReadOnlyList<OptionScore> options) => new([.. options.Select(o => new JsonObject
    {
        ["text"] = o.Text,
        ["aligned"] = o.IsAligned,
        ["sum_logprob"] = o.SumLogProb,
        ["tokens"] = o.TokenCount,
        ["probability"] = o.Probability,
        ["normalised_probability"] = o.NormalisedProbability,
    })]);

    private static JsonObject Summary(JsonObject sample)
    {
        var summary = new JsonObject();
        foreach (var key in (string[])["id", "epoch", "input", "target", "choices", "metadata", "scores", "model_usage", "role_usage"])
        {
            summary[key] = sample[key]?.DeepClone();
        }

        summary["message_count"] = sample["messages"]!.AsArray().Count;
        summary["completed"] = true;
        return summary;
    }

    private static JsonArray Messages(BenchmarkPrompt prompt)
    {
        var messages = new JsonArray();
        if (prompt.System is { } system) messages.Add(Message("system", system));
        foreach (var turn in prompt.Turns)
        {
            messages.Add(Message(turn.Role switch { TurnRole.System => "system", TurnRole.Assistant => "assistant", _ => "user" }, turn.Content));
        }

        return messages;
    }

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };

    private static void Add(ZipArchive zip, string name, JsonNode content)
    {
        // A fixed timestamp: the same run always gives the same bytes.
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        using var writer = new Utf8JsonWriter(stream);
        content.WriteTo(writer, Compact);
    }

    private static string FormatName(BenchmarkFormat format) => format switch
    {
        BenchmarkFormat.McLogLik => "mc-loglik",
        BenchmarkFormat.GenerateGrade => "generate-grade",
        _ => "multi-turn",
    };

    private static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static string Clean(string component) => component.Replace('_', '-').Replace('/', '-').Replace(':', '-').Replace('+', '-');
}
