namespace BeneficialRL.AppHost.Options;

/// <summary>
/// The experiment presets <c>--experiment</c> accepts: the paper's training variants. Validated now so scripts
/// written today keep working once the experiment runner arrives.
/// </summary>
public static class ExperimentPresets
{
    /// <summary>Preset name → one-line description, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["multi-domain"] = "beneficial-trait scenarios from every training domain (the paper's main run)",
        ["health-only"] = "beneficial-trait scenarios from the health domain only",
        ["no-health-no-science"] = "every training domain except health and science",
        ["generic-helpfulness"] = "the same trait prompts rewarded by a generic-helpfulness grader",
    };

    /// <summary>The preset names, for <c>AcceptOnlyFromAmong</c>.</summary>
    public static string[] Names => [.. All.Keys];
}
