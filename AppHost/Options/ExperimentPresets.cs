namespace BeneficialRL.AppHost.Options;

/// <summary>
/// The experiment presets <c>--experiment</c> accepts: the paper's training variants, the small <c>demo</c> the
/// main job runs by default, <c>quick</c>, and <c>none</c> to only start the stack.
/// </summary>
public static class ExperimentPresets
{
    /// <summary>The main job's default.</summary>
    public const string Default = "demo";

    /// <summary>Start the stack and run nothing.</summary>
    public const string None = "none";

    /// <summary>Preset name → one-line description, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["paper-main"] = "treatment: 5% multi-domain beneficial-trait slice + 95% standard RL; baseline: 100% standard, same compute",
        ["health-only"] = "the trait slice restricted to the health domain",
        ["no-health-no-science"] = "the trait slice from every domain except health and science",
        ["helpfulness-reward-control"] = "the same trait prompts rewarded by a generic-helpfulness grader",
        ["demo"] = "a small paper-main for the local main job (minutes on two cores)",
        ["quick"] = "the smallest end-to-end experiment, for tests",
        [None] = "start the stack and run no experiment",
    };

    /// <summary>The preset names, for <c>AcceptOnlyFromAmong</c>.</summary>
    public static string[] Names => [.. All.Keys];
}
