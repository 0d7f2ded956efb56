using BeneficialRL.Scenarios.Text;

namespace BeneficialRL.Scenarios.StandardTasks;

/// <summary>The data behind standard tasks, read from <c>Data/StandardTasks/standard-tasks.yaml</c>.</summary>
internal sealed class StandardTaskBanks
{
    private static readonly Lazy<StandardTaskBanks> LazyDefault = new(() => EmbeddedData.ReadYaml<StandardTaskBanks>("Data/StandardTasks/standard-tasks.yaml"));

    public static StandardTaskBanks Default => LazyDefault.Value;

    public List<ArithmeticTemplate> Arithmetic { get; set; } = [];

    public List<string> Items { get; set; } = [];

    public List<Person> People { get; set; } = [];

    public List<FormatTopic> FormatTopics { get; set; } = [];

    public List<string> FormatEndings { get; set; } = [];

    public ExtractionBank Extraction { get; set; } = new();

    public sealed class ArithmeticTemplate
    {
        public string Id { get; set; } = "";

        public string Text { get; set; } = "";

        public string Formula { get; set; } = "";

        public Dictionary<string, List<int>> Ranges { get; set; } = [];
    }

    public sealed class Person
    {
        public string Name { get; set; } = "";

        public string Pronoun { get; set; } = "";
    }

    public sealed class FormatTopic
    {
        public string Topic { get; set; } = "";

        public string Banned { get; set; } = "";
    }

    public sealed class ExtractionBank
    {
        public List<string> Companies { get; set; } = [];

        public List<string> Cities { get; set; } = [];

        public List<string> Roles { get; set; } = [];

        public List<string> Months { get; set; } = [];

        public List<string> Products { get; set; } = [];
    }
}
