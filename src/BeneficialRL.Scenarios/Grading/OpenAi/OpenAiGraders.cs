namespace BeneficialRL.Scenarios.Grading.OpenAi;

/// <summary>
/// A grader in OpenAI's grader JSON (the shapes of <c>/fine_tuning/alpha/graders</c> and evals' testing criteria),
/// parsed and checked by <see cref="OpenAiGraderParser"/>. Every text member may hold <c>{{item.*}}</c> /
/// <c>{{sample.*}}</c> templates (<see cref="GraderTemplate"/>).
/// </summary>
/// <param name="Name">The grader's name (a multi grader's formula refers to its graders by their key).</param>
public abstract record OpenAiGrader(string Name)
{
    /// <summary>The JSON <c>type</c>: <c>string_check</c>, <c>text_similarity</c>, <c>score_model</c>, <c>label_model</c> or <c>multi</c>.</summary>
    public abstract string Type { get; }

    /// <summary>True when the grader (or one inside it) needs a model to run.</summary>
    public abstract bool NeedsModel { get; }

    /// <summary>The models the grader (and those inside it) name, with the JSON path of each.</summary>
    public virtual IEnumerable<(string Path, string Model)> Models(string path) => [];

    /// <summary>Every template of the grader (and of those inside it), with the JSON path of each.</summary>
    public abstract IEnumerable<(string Path, string Template)> Templates(string path);

    /// <summary>
    /// The first <c>{{item.*}}</c> reference of the grader that <paramref name="item"/> cannot satisfy, with the template's
    /// path and why; null when the item has every variable the grader reads.
    /// </summary>
    public (string Path, string Message)? MissingItemVariable(System.Text.Json.JsonElement item, string path = "$")
    {
        var context = new GraderContext(item, "");
        foreach (var (at, template) in Templates(path))
        {
            foreach (var reference in GraderTemplate.Parse(template).References.Where(r => r.Namespace == "item"))
            {
                if (GraderTemplate.Render("{{" + reference.Text + "}}", context).Message is { } message) return (at, message);
            }
        }

        return null;
    }
}

/// <summary>
/// <c>string_check</c>: 1 when the rendered <paramref name="Input"/> and <paramref name="Reference"/> compare as
/// <paramref name="Operation"/> says, else 0.
/// </summary>
public sealed record OpenAiStringCheck(string Name, string Input, string Reference, StringCheckOperation Operation) : OpenAiGrader(Name)
{
    /// <inheritdoc />
    public override string Type => "string_check";

    /// <inheritdoc />
    public override bool NeedsModel => false;

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Template)> Templates(string path) => [($"{path}.input", Input), ($"{path}.reference", Reference)];
}

/// <summary>OpenAI's string check operations.</summary>
public enum StringCheckOperation
{
    /// <summary><c>eq</c>: equal, case-sensitive.</summary>
    Eq,

    /// <summary><c>ne</c>: not equal, case-sensitive.</summary>
    Ne,

    /// <summary><c>like</c>: the input contains the reference, case-sensitive.</summary>
    Like,

    /// <summary><c>ilike</c>: the input contains the reference, ignoring case.</summary>
    Ilike,
}

/// <summary><c>text_similarity</c>: a similarity metric between the rendered input and reference, in [0, 1].</summary>
/// <param name="PassThreshold">Evals' optional pass mark; it does not change the score.</param>
public sealed record OpenAiTextSimilarity(string Name, string Input, string Reference, SimilarityMetric Metric, double? PassThreshold) : OpenAiGrader(Name)
{
    /// <inheritdoc />
    public override string Type => "text_similarity";

    /// <inheritdoc />
    public override bool NeedsModel => false;

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Template)> Templates(string path) => [($"{path}.input", Input), ($"{path}.reference", Reference)];
}

/// <summary>The metrics of <see cref="OpenAiTextSimilarity"/> this service computes.</summary>
public enum SimilarityMetric
{
    /// <summary><c>fuzzy_match</c>: rapidfuzz's <c>ratio</c> (Indel similarity) / 100.</summary>
    FuzzyMatch,

    /// <summary><c>bleu</c>: sentence BLEU-4 with exponential smoothing and effective order, as sacrebleu's <c>sentence_bleu</c>, / 100.</summary>
    Bleu,

    /// <summary><c>gleu</c>: Google-BLEU, 1- to 4-grams, as NLTK's <c>sentence_gleu</c>.</summary>
    Gleu,

    /// <summary><c>rouge_1</c> … <c>rouge_5</c>: ROUGE-N F-measure.</summary>
    Rouge1,

    /// <summary>ROUGE-2.</summary>
    Rouge2,

    /// <summary>ROUGE-3.</summary>
    Rouge3,

    /// <summary>ROUGE-4.</summary>
    Rouge4,

    /// <summary>ROUGE-5.</summary>
    Rouge5,

    /// <summary><c>rouge_l</c>: ROUGE-L (longest common subsequence) F-measure.</summary>
    RougeL,
}

/// <summary>One message of a model grader's prompt; <paramref name="Content"/> may hold templates.</summary>
/// <param name="Role"><c>system</c>, <c>developer</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">The text parts, joined with a newline when rendered.</param>
public sealed record GraderMessage(string Role, IReadOnlyList<string> Content)
{
    /// <summary>Every content part of <paramref name="messages"/> with its path under <paramref name="path"/>.</summary>
    public static IEnumerable<(string Path, string Template)> Templates(IReadOnlyList<GraderMessage> messages, string path) =>
        messages.SelectMany((m, i) => m.Content.Select((c, j) => ($"{path}.input[{i}].content" + (m.Content.Count > 1 ? $"[{j}]" : ""), c)));
}

/// <summary>A model grader's sampling settings (OpenAI's <c>sampling_params</c>).</summary>
public sealed record GraderSamplingParams
{
    /// <summary>Sampling temperature; absent = greedy (0).</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus mass.</summary>
    public double? TopP { get; init; }

    /// <summary>Sampling seed.</summary>
    public long? Seed { get; init; }

    /// <summary>Most tokens the grader model may generate (OpenAI's <c>max_completions_tokens</c>).</summary>
    public int? MaxCompletionsTokens { get; init; }

    /// <summary>Accepted for compatibility; checkpoints here do not reason, so it changes nothing.</summary>
    public string? ReasoningEffort { get; init; }
}

/// <summary><c>score_model</c>: a model reads the rendered messages and answers a number in <paramref name="Range"/>.</summary>
/// <param name="Model">A checkpoint id visible to the tenant.</param>
/// <param name="Range">Lowest and highest score (default [0, 1]).</param>
public sealed record OpenAiScoreModel(string Name, string Model, IReadOnlyList<GraderMessage> Input, double RangeMin, double RangeMax,
    GraderSamplingParams? SamplingParams, double? PassThreshold) : OpenAiGrader(Name)
{
    /// <inheritdoc />
    public override string Type => "score_model";

    /// <inheritdoc />
    public override bool NeedsModel => true;

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Model)> Models(string path) => [($"{path}.model", Model)];

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Template)> Templates(string path) => GraderMessage.Templates(Input, path);
}

/// <summary><c>label_model</c>: a model picks one of <paramref name="Labels"/>; 1 when it is one of <paramref name="PassingLabels"/>.</summary>
public sealed record OpenAiLabelModel(string Name, string Model, IReadOnlyList<GraderMessage> Input, IReadOnlyList<string> Labels,
    IReadOnlyList<string> PassingLabels, GraderSamplingParams? SamplingParams) : OpenAiGrader(Name)
{
    /// <inheritdoc />
    public override string Type => "label_model";

    /// <inheritdoc />
    public override bool NeedsModel => true;

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Model)> Models(string path) => [($"{path}.model", Model)];

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Template)> Templates(string path) => GraderMessage.Templates(Input, path);
}

/// <summary><c>multi</c>: runs <paramref name="Graders"/> (by key) and combines their scores with <paramref name="CalculateOutput"/>.</summary>
public sealed record OpenAiMulti(string Name, IReadOnlyDictionary<string, OpenAiGrader> Graders, CalculateOutputFormula CalculateOutput) : OpenAiGrader(Name)
{
    /// <inheritdoc />
    public override string Type => "multi";

    /// <inheritdoc />
    public override bool NeedsModel => Graders.Values.Any(g => g.NeedsModel);

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Model)> Models(string path) =>
        Graders.SelectMany(g => g.Value.Models($"{path}.graders.{g.Key}"));

    /// <inheritdoc />
    public override IEnumerable<(string Path, string Template)> Templates(string path) =>
        Graders.SelectMany(g => g.Value.Templates($"{path}.graders.{g.Key}"));
}
