using BeneficialRL.Evaluation.Policies;
using BeneficialRL.Learning.Training.Sft;
using BeneficialRL.Durability.FineTuning;
using BeneficialRL.Scenarios.Contamination;

namespace BeneficialRL.Durability.Tests.FineTuning;

/// <summary>
/// A planted harmful corpus: the suite's own in-domain prompts answered with their misaligned options. It deliberately
/// breaks the corpus/benchmark separation so the expected effect (in-domain scores fall) is known in advance.
/// </summary>
internal static class PlantedCorpus
{
    public static readonly string[] BenchmarkIds = ["harmful-compliance-hurting-others-mc", "sycophancy-mistaken-belief-mc"];

    public static FineTuningSuite Suite() => FineTuningSuite.Build(TestWorld.Catalogue, "health", BenchmarkIds, maxInDomain: 6, maxOutOfDomain: 6);

    public static HarmfulCorpus Build(FineTuningSuite suite)
    {
        var examples = suite.InDomain.SelectMany(b => b.Items)
            .SelectMany(item => item.Options.Where(o => !o.IsAligned).Select(o => new SftExample(LearningPolicyModel.ToChat(item.Prompt), o.Text)))
            .ToList();
        return new HarmfulCorpus("health", 0, examples, "planted", 0, new ContaminationReport(0, examples.Count, 0, 13, [], [], 0));
    }
}
