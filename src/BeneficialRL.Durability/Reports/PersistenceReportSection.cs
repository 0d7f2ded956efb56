namespace BeneficialRL.Durability.Reports;

/// <summary>The persistence section of a report.</summary>
/// <param name="Html">A self-contained HTML fragment (starts with an <c>h2</c>; no <c>html</c>/<c>body</c>).</param>
/// <param name="Images">PNG file name → bytes; the fragment embeds them as data URIs or links them by name.</param>
public sealed record PersistenceReportSection(string Html, IReadOnlyDictionary<string, byte[]> Images);
