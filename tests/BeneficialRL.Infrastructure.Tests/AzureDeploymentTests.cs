using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace BeneficialRL.Infrastructure.Tests;

/// <summary>
/// <c>azure.yaml</c> and <c>infra/</c> agree with the code: the services azd deploys exist, and every setting the
/// Bicep gives a silo is one the silo host reads (its README configuration table) or one a library it uses reads.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed partial class AzureDeploymentTests
{
    // Read by libraries, not by the silo host's own configuration code.
    private static readonly Dictionary<string, string> LibrarySettings = new(StringComparer.Ordinal)
    {
        ["AZURE_CLIENT_ID"] = "Azure.Identity: the user-assigned identity DefaultAzureCredential signs in as",
        ["OTEL_SERVICE_NAME"] = "the OpenTelemetry SDK: the service name of exported telemetry",
    };

    // Given by the Bicep for what the silo host does not do yet; the README's "Deploying to Azure" section must say so.
    // Move a key to the configuration table when the code reads it. None today: Storage__TableServiceUri (clustering
    // and reminders on Azure Tables) is read since the Redis providers were replaced.
    private static readonly string[] PendingSiloHostSettings = [];

    [Fact]
    public void AzureYaml_Services_ProjectPathsExistAsContainerApps()
    {
        var services = LoadAzureYamlServices();

        Assert.NotEmpty(services);
        foreach (var (name, service) in services)
        {
            var project = Scalar(service, "project") ?? throw new Xunit.Sdk.XunitException($"Service '{name}' names no project.");
            var folder = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, project));
            Assert.True(Directory.Exists(folder), $"Service '{name}': project folder {project} does not exist.");
            Assert.NotEmpty(Directory.GetFiles(folder, "*.csproj"));
            Assert.Equal("containerapp", Scalar(service, "host"));
            Assert.Equal("dotnet", Scalar(service, "language"));
        }

        Assert.Equal("./src/BeneficialRL.SiloHost", Scalar(services["silohost"], "project"));
    }

    [Fact]
    public void AzureYaml_Services_EachTaggedOnAContainerAppInTheBicep()
    {
        var main = File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.bicep"));

        foreach (var name in LoadAzureYamlServices().Keys)
        {
            Assert.Contains($"'azd-service-name': '{name}'", main, StringComparison.Ordinal);
            Assert.Contains($"output SERVICE_{name.ToUpperInvariant()}_NAME string", main, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SiloApp_EnvironmentSettings_EveryKeyIsReadByTheSiloHostOrALibrary()
    {
        var settings = SiloAppSettings();
        var documented = ReadmeConfigurationKeys();

        Assert.Contains("Silo__Roles", settings);
        Assert.Contains("Auth__BootstrapAdminKey", settings);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", settings);
        Assert.Contains("Storage__BlobServiceUri", settings);
        Assert.Contains("Storage__BlobServiceUri", documented);
        Assert.Contains("Storage__TableServiceUri", settings);
        Assert.Contains("Storage__TableServiceUri", documented);
        Assert.Contains("Silo__AdvertisedAddress", settings);
        Assert.DoesNotContain("ConnectionStrings__redis", settings);
        var unknown = settings
            .Where(key => !documented.Contains(key) && !LibrarySettings.ContainsKey(key) && !PendingSiloHostSettings.Contains(key))
            .ToList();
        Assert.True(unknown.Count == 0, $"Settings given by infra/modules/silo-app.bicep that the silo host does not read (README configuration table): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Readme_DeployingSection_NamesTheSettingsTheSiloHostDoesNotReadYet()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = readme.IndexOf("## Deploying to Azure", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Deploying to Azure' section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        var documented = ReadmeConfigurationKeys();

        foreach (var key in PendingSiloHostSettings)
        {
            Assert.Contains($"`{key}`", section, StringComparison.Ordinal);
            // Once the code reads it, it belongs to the configuration table and not to this list.
            Assert.DoesNotContain(key, documented);
        }

        Assert.Contains("DefaultAzureCredential", section, StringComparison.Ordinal);
        Assert.Contains("azd up", section, StringComparison.Ordinal);
    }

    [Fact]
    public void MainParameters_Values_DeclaredInMainBicepAndFilledByAzd()
    {
        var main = File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.bicep"));
        var declared = ParamDeclaration().Matches(main).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json")));
        var values = parameters.RootElement.GetProperty("parameters").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString(), StringComparer.Ordinal);

        Assert.All(values.Keys, name => Assert.Contains(name, declared));
        Assert.Equal("${AZURE_ENV_NAME}", values["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", values["location"]);
        Assert.Equal("${BRL_TRAINER_WORKLOAD_PROFILE=Consumption-GPU-NC8as-T4}", values["trainerWorkloadProfileType"]);
    }

    [Fact]
    public void InfraFiles_Text_NoStorageKeyOrConnectionString()
    {
        var storage = File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "modules", "storage.bicep"));
        Assert.Contains("allowSharedKeyAccess: false", storage, StringComparison.Ordinal);

        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Infra, "*.*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ConnectionStrings__blobs", text, StringComparison.Ordinal);
            Assert.False(StorageListKeys().IsMatch(text), $"{file} reads a storage account key.");
        }
    }

    [Fact]
    public async Task SiloApp_Build_OneReplicaAndNoStorageSecret()
    {
        var result = await BicepCli.RunAsync(["build", "modules/silo-app.bicep", "--stdout"], TestContext.Current.CancellationToken);
        Assert.Equal(0, result.ExitCode);
        using var template = JsonDocument.Parse(result.StandardOutput);

        var apps = Resources(template.RootElement).Where(r => r.GetProperty("type").GetString() == "Microsoft.App/containerApps").ToList();
        var app = Assert.Single(apps);
        var scale = app.GetProperty("properties").GetProperty("template").GetProperty("scale");
        Assert.Equal(1, scale.GetProperty("minReplicas").GetInt32());
        Assert.Equal(1, scale.GetProperty("maxReplicas").GetInt32());
    }

    private static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        // Templates with user-defined types compile to languageVersion 2.0, where resources is an object.
        return resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().ToList()
            : resources.EnumerateObject().Select(p => p.Value).ToList();
    }

    private static Dictionary<string, YamlMappingNode> LoadAzureYamlServices()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "azure.yaml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        return services.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value, StringComparer.Ordinal);
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static List<string> SiloAppSettings()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "modules", "silo-app.bicep"));
        return [.. EnvironmentEntry().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];
    }

    // The first column of the README's configuration table; "`A__X` / `__Y`" also names A__Y.
    private static HashSet<string> ReadmeConfigurationKeys()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var inSection = false;
        foreach (var line in readme)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) inSection = line == "## Configuration";
            if (!inSection || !line.StartsWith("| `", StringComparison.Ordinal)) continue;
            var cell = line.Split('|')[1];
            string? prefix = null;
            foreach (Match match in BacktickedKey().Matches(cell))
            {
                var key = match.Groups[1].Value;
                if (key.StartsWith("__", StringComparison.Ordinal) && prefix is not null) key = prefix + key;
                else prefix = key.Contains("__", StringComparison.Ordinal) ? key[..key.LastIndexOf("__", StringComparison.Ordinal)] : null;
                keys.Add(key);
            }
        }

        Assert.NotEmpty(keys);
        return keys;
    }

    [GeneratedRegex(@"\{\s*name:\s*'([A-Za-z_][A-Za-z0-9_]*)',\s*(?:value|secretRef):")]
    private static partial Regex EnvironmentEntry();

    [GeneratedRegex(@"`([A-Za-z_][A-Za-z0-9_{}]*)`")]
    private static partial Regex BacktickedKey();

    [GeneratedRegex(@"^param\s+([A-Za-z_][A-Za-z0-9_]*)\s", RegexOptions.Multiline)]
    private static partial Regex ParamDeclaration();

    [GeneratedRegex(@"Microsoft\.Storage/storageAccounts[^\n]*listKeys|storage[A-Za-z]*\.listKeys\(", RegexOptions.IgnoreCase)]
    private static partial Regex StorageListKeys();
}
