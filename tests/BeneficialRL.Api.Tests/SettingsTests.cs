using System.Collections;
using System.Text.RegularExpressions;
using BeneficialRL.Api.Tests.Infrastructure;
using BeneficialRL.SiloHost.Hosting;
using Microsoft.Extensions.Options;

namespace BeneficialRL.Api.Tests;

/// <summary>
/// Every setting the silo host binds is in the README's configuration table and every row of the table is a setting
/// the host reads; a bad value stops the host at start with the setting's name.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class SettingsTests(ApiFixture fixture)
{
    /// <summary>Rows of the table that no options class binds, and who reads them instead.</summary>
    private static readonly Dictionary<string, string> ReadElsewhere = new(StringComparer.Ordinal)
    {
        ["ConnectionStrings__blobs"] = "StorageAccountConnection, before the host is built (the blob client is shared by grain state and artifacts)",
        ["Storage__BlobServiceUri"] = "StorageAccountConnection, likewise",
        ["ConnectionStrings__tables"] = "StorageAccountConnection: the table client of the membership and reminder providers",
        ["Storage__TableServiceUri"] = "StorageAccountConnection, likewise",
        ["ASPNETCORE_URLS"] = "ASP.NET Core",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "OpenTelemetry (ServiceDefaults)",
    };

    [Fact]
    public void ReadmeConfigurationTable_ListsExactlyTheBoundSettings_AndTheOnesReadElsewhere()
    {
        var documented = ReadmeSettings();
        var bound = SiloSettings.Sections.SelectMany(s => Names(s.Options, s.Section.Replace(":", "__", StringComparison.Ordinal))).ToList();

        var missing = bound.Where(name => !documented.Any(d => name.EndsWith("__", StringComparison.Ordinal) ? d.StartsWith(name, StringComparison.Ordinal) : d == name)).ToList();
        var stale = documented.Where(d => !ReadElsewhere.ContainsKey(d) && !bound.Any(name => name.EndsWith("__", StringComparison.Ordinal) ? d.StartsWith(name, StringComparison.Ordinal) : d == name)).ToList();

        Assert.True(missing.Count == 0, "Bound but not in the README's configuration table: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "In the README's configuration table but read by nothing: " + string.Join(", ", stale));
        Assert.All(ReadElsewhere.Keys, name => Assert.Contains(name, documented));
    }

    [Theory]
    [InlineData("RateLimits:ReadsPerWindow", "-1", "ReadsPerWindow")]
    [InlineData("Storage:Resilience:Chaos:FaultRate", "1.5", "Chaos")]
    [InlineData("Recovery:ReminderPeriod", "00:00:00", "ReminderPeriod")]
    [InlineData("Orleans:ServiceId", "", "ServiceId")]
    public async Task Start_WithAnOutOfRangeSetting_FailsNamingIt(string setting, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            LimitedHost.StartAsync(fixture, new Dictionary<string, string?> { [setting] = value }, TestContext.Current.CancellationToken));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_OfTheAuthSettings_MasksTheBootstrapKey()
    {
        var described = SettingsReport.Describe(new BeneficialRL.SiloHost.Auth.AuthOptions { BootstrapAdminKey = "brl_secret-value" });

        Assert.DoesNotContain("brl_secret-value", described, StringComparison.Ordinal);
        Assert.Contains("BootstrapAdminKey=(set)", described, StringComparison.Ordinal);
        Assert.Contains("FailedAttemptsPerAddress=100", described, StringComparison.Ordinal);
    }

    /// <summary>Setting names of <paramref name="type"/>'s bound properties; a dictionary's end in <c>__</c> (a key follows).</summary>
    private static IEnumerable<string> Names(Type type, string prefix)
    {
        foreach (var property in SettingsReport.Settable(type))
        {
            var name = $"{prefix}__{property.Name}";
            if (typeof(IDictionary).IsAssignableFrom(property.PropertyType)) yield return name + "__";
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                foreach (var nested in Names(property.PropertyType, name)) yield return nested;
            }
            else yield return name;
        }
    }

    /// <summary>The setting names in the first column of the README's configuration table, shorthand (<c>/ `__X`</c>) expanded.</summary>
    private static List<string> ReadmeSettings()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "README.md"))) directory = directory.Parent;
        var readme = File.ReadAllText(Path.Combine(directory!.FullName, "README.md"));
        var section = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 5, StringComparison.Ordinal)];
        var names = new List<string>();
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cell = line.Split('|')[1];
            string? first = null;
            foreach (Match match in SettingName().Matches(cell))
            {
                var name = match.Groups[1].Value;
                if (name.StartsWith("__", StringComparison.Ordinal)) name = first![..first!.LastIndexOf("__", StringComparison.Ordinal)] + name;
                first ??= name;
                names.Add(Regex.Replace(name, @"__\{[^}]+\}$", "__"));
            }
        }

        return names;
    }

    [GeneratedRegex("`([A-Za-z_{}]+)`")]
    private static partial Regex SettingName();
}
