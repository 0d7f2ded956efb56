using BeneficialRL.Analysis.Validation;

namespace BeneficialRL.AppHost.Options;

/// <summary>
/// What <c>--experiment</c> accepts: every preset of the experiments library (the paper's training variants, the small
/// <c>demo</c> the main job runs by default, <c>quick</c>, and the test bed's comparison and controls), each with the
/// line <c>--help</c> shows, <c>validate-testbed</c> (the test bed's validation presets, run as one set), and <c>none</c> to
/// only start the stack. The AppHost does not reference the experiments
/// library (it would carry the learning engine's native libraries into the orchestrator), so a test checks this list
/// names exactly the library's presets.
/// </summary>
public static class ExperimentChoices
{
    /// <summary>The main job's default.</summary>
    public const string Default = "demo";

    /// <summary>Start the stack and run nothing.</summary>
    public const string None = "none";

    /// <summary>Run the test bed's validation set one experiment after another and print one pass table (docs/science.md §5).</summary>
    public const string ValidateTestbed = "validate-testbed";

    /// <summary>
    /// The experiments of <see cref="ValidateTestbed"/>, in the order they run (the library's <c>ValidationPresets.Names</c>;
    /// a test checks both agree): the planted control runs after the A/A, whose base checkpoint it reuses.
    /// </summary>
    public static IReadOnlyList<(string Preset, ValidationRole Role)> ValidationSet { get; } =
    [
        ("validate-testbed-linked", ValidationRole.LinkedWorld),
        ("validate-control-null-world", ValidationRole.NullWorld),
        ("validate-control-aa", ValidationRole.AaControl),
        ("validate-control-planted", ValidationRole.PlantedEffect),
    ];

    /// <summary>Preset name → one-line description, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["paper-main"] = "treatment: 5% multi-domain beneficial-trait slice + 95% standard RL; baseline: 100% standard, same compute",
        ["health-only"] = "the trait slice restricted to the health domain",
        ["no-health-no-science"] = "the trait slice from every domain except health and science",
        ["helpfulness-reward-control"] = "the same trait prompts rewarded by a generic-helpfulness grader",
        ["demo"] = "a mechanism demo of the pipeline, not a replication: paper-main's design on a tiny model at the stated 5% trait share, 3 seeds (minutes on two cores)",
        ["quick"] = "the smallest end-to-end experiment, for tests",
        ["testbed-linked"] = "the test bed: treatment vs baseline in the linked world (a shared disposition; docs/science.md)",
        ["control-null-world"] = "test-bed control: the same comparison in the null world (no shared disposition)",
        ["control-aa"] = "test-bed control: two baseline arms, different seeds (A/A)",
        ["control-placebo"] = "test-bed control: trait prompts with judge rewards shuffled within each step",
        ["control-planted"] = "test-bed control: A/A with a +5-point effect planted in 30% of the benchmarks",
        ["control-em-linked"] = "test-bed control: emergent misalignment, pre-RL checkpoint fine-tuned on the linked world's misaligned health documents × 3 seeds; passes when non-health alignment falls (CI < 0)",
        ["control-em-null"] = "test-bed control: the same harmful fine-tune in the null world; passes when the non-health alignment CI contains 0",
        ["paper-5pct"] = "test bed, linked world: trait shares 0 / 5% / 25% × 3 seeds; the effect at 5% read from a dose–response fit (22 min on two quiet cores, docs/science.md §8)",
        [ValidateTestbed] = "the test bed's validation set, one after another: linked and null worlds, A/A, planted effect (20 GRPO steps each; 46 min on two quiet cores, docs/science.md §7); ends with one pass table",
        [None] = "start the stack and run no experiment",
    };

    /// <summary>The preset names, for <c>AcceptOnlyFromAmong</c>.</summary>
    public static string[] Names => [.. All.Keys];
}
