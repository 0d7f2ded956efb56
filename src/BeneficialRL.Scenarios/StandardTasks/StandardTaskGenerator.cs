using System.Globalization;
using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>
/// Generates verifiable standard tasks by seed: arithmetic word problems, format following and
/// extraction from a passage. Each task draws from its own seeded stream, so task <c>i</c> of a family
/// is the same whatever else is generated.
/// </summary>
public sealed class StandardTaskGenerator
{
    private readonly StandardTaskBanks _banks = StandardTaskBanks.Default;

    /// <summary>Streams <paramref name="perFamily"/> tasks of each family, interleaved by family.</summary>
    public IEnumerable<StandardTask> Generate(long seed, int perFamily)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perFamily);
        for (var i = 0; i < perFamily; i++)
        {
            yield return Arithmetic(seed, i);
            yield return Format(seed, i);
            yield return Extraction(seed, i);
        }
    }

    /// <summary>The <paramref name="index"/>-th arithmetic word problem.</summary>
    public StandardTask Arithmetic(long seed, int index)
    {
        var rng = SplitMix64Random.For(seed, "arithmetic", index.ToString(CultureInfo.InvariantCulture));
        var template = rng.Pick(_banks.Arithmetic);
        var person = rng.Pick(_banks.People);
        var item = rng.Pick(_banks.Items);
        for (var attempt = 0; ; attempt++)
        {
            var values = template.Ranges.ToDictionary(kv => kv.Key, kv => (long)rng.Next(kv.Value[0], kv.Value[1] + 1), StringComparer.Ordinal);
            var answer = Formula.Evaluate(template.Formula, values);
            if (answer < 0 && attempt < 50)
            {
                continue; // word problems about stock and money should not go negative
            }

            var text = template.Text
                .Replace("{name}", person.Name, StringComparison.Ordinal)
                .Replace("{pronoun}", person.Pronoun, StringComparison.Ordinal)
                .Replace("{pronoun_lower}", person.Pronoun.ToLowerInvariant(), StringComparison.Ordinal)
                .Replace("{item}", item, StringComparison.Ordinal);
            foreach (var (name, value) in values)
            {
                text = text.Replace("{" + name + "}", value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            var prompt = text + " Show your working briefly, then end with a line of the form 'Answer: <number>'.";
            return new StandardTask($"arithmetic-{index:D5}", StandardTaskFamily.Arithmetic, prompt, answer.ToString(CultureInfo.InvariantCulture), [], seed);
        }
    }

    /// <summary>The <paramref name="index"/>-th format-following task.</summary>
    public StandardTask Format(long seed, int index)
    {
        var rng = SplitMix64Random.For(seed, "format", index.ToString(CultureInfo.InvariantCulture));
        var topic = rng.Pick(_banks.FormatTopics);
        var count = rng.Next(3, 7);
        var constraints = new List<FormatConstraint> { new(FormatConstraintKind.BulletCount, count) };
        var instructions = new List<string> { $"List exactly {count} {topic.Topic}, one per line, each line starting with \"- \"." };
        var optional = new List<(FormatConstraint Constraint, string Instruction)>
        {
            (new(FormatConstraintKind.AllLowercase), "Write everything in lowercase."),
            (new(FormatConstraintKind.ForbiddenWord, Text: topic.Banned), $"Do not use the word \"{topic.Banned}\"."),
            (new(FormatConstraintKind.MaxWordsPerBullet, rng.Next(6, 13)), ""),
            (new(FormatConstraintKind.EndsWith, Text: rng.Pick(_banks.FormatEndings)), ""),
        };
        // Two of the four optional constraints, chosen by seed.
        var first = rng.Next(optional.Count);
        var second = (first + 1 + rng.Next(optional.Count - 1)) % optional.Count;
        foreach (var pick in new[] { first, second }.Order())
        {
            var (constraint, instruction) = optional[pick];
            constraints.Add(constraint);
            instructions.Add(constraint.Kind switch
            {
                FormatConstraintKind.MaxWordsPerBullet => $"Keep each item to at most {constraint.Number} words.",
                FormatConstraintKind.EndsWith => $"Finish your reply with the exact words \"{constraint.Text}\"",
                _ => instruction,
            });
        }

        return new StandardTask($"format-{index:D5}", StandardTaskFamily.FormatFollowing, string.Join(" ", instructions), null, constraints, seed);
    }

    /// <summary>The <paramref name="index"/>-th extraction task.</summary>
    public StandardTask Extraction(long seed, int index)
    {
        var rng = SplitMix64Random.For(seed, "extraction", index.ToString(CultureInfo.InvariantCulture));
        var bank = _banks.Extraction;
        var company = rng.Pick(bank.Companies);
        var city = rng.Pick(bank.Cities);
        var role = rng.Pick(bank.Roles);
        var person = rng.Pick(_banks.People).Name + " " + rng.Pick(["Adebayo", "Lindgren", "Moreau", "Sato", "Quispe", "Novak", "Ibrahim"]);
        var month = rng.Pick(bank.Months);
        var year = rng.Next(2019, 2027);
        var product = rng.Pick(bank.Products);
        var budget = rng.Next(12, 900) * 1_000;
        var team = rng.Next(4, 60);
        var passage = $"{company}, headquartered in {city}, said in {month} {year} that its {role}, {person}, will lead the launch of {product}. " +
            $"The launch has a budget of {budget.ToString("N0", CultureInfo.InvariantCulture)} dollars and a team of {team} people. " +
            $"Analysts in {city} expect the first units to ship within a year.";
        var (question, answer) = rng.Next(5) switch
        {
            0 => ("In which city is the company headquartered?", city),
            1 => ($"Who is the company's {role}?", person),
            2 => ("What is the launch budget in dollars?", budget.ToString("N0", CultureInfo.InvariantCulture)),
            3 => ("How many people are on the launch team?", team.ToString(CultureInfo.InvariantCulture)),
            _ => ("In which month and year was the announcement made?", $"{month} {year}"),
        };
        var prompt = $"Read the passage and answer the question with the exact value only.\n\nPassage: {passage}\n\nQuestion: {question}";
        return new StandardTask($"extraction-{index:D5}", StandardTaskFamily.Extraction, prompt, answer, [], seed);
    }
}
