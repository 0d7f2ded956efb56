using System.Reflection;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BeneficialRL.Scenarios.Text;

/// <summary>Reads the library's embedded data files (YAML/JSON under <c>Data/</c> and the schema).</summary>
internal static class EmbeddedData
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The text of an embedded data file such as <c>Data/Taxonomy/taxonomy.yaml</c> (resources are named by file name, which is unique).</summary>
    public static string ReadText(string relativePath)
    {
        var name = relativePath.StartsWith("Schema/", StringComparison.Ordinal)
            ? "BeneficialRL.Scenarios.Schema." + Path.GetFileName(relativePath)
            : "BeneficialRL.Scenarios.Data." + Path.GetFileName(relativePath);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded data file '{relativePath}' (resource '{name}') is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Deserialises an embedded YAML file; unknown keys are errors so typos in data files surface.</summary>
    public static T ReadYaml<T>(string relativePath)
    {
        try
        {
            return Yaml.Deserialize<T>(ReadText(relativePath))
                ?? throw new InvalidOperationException($"Embedded data file '{relativePath}' is empty.");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidOperationException($"Embedded data file '{relativePath}' is invalid at line {ex.Start.Line}: {ex.Message}", ex);
        }
    }
}
