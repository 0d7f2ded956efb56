using System.Text.Json.Serialization;

namespace BeneficialRL.Durability.Attacks;

/// <summary>Where an attack's text goes in a prompt; see <see cref="PromptAttack.Apply"/> for the exact rules.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttackPlacement>))]
public enum AttackPlacement
{
    /// <summary>The text becomes the system message, before any original system message (blank line between).</summary>
    [JsonStringEnumMemberName("system-prefix")]
    SystemPrefix,

    /// <summary>The text goes before the content of the final user turn (blank line between).</summary>
    [JsonStringEnumMemberName("last-user-prefix")]
    LastUserPrefix,

    /// <summary>The text goes after the content of the final user turn (blank line between).</summary>
    [JsonStringEnumMemberName("last-user-suffix")]
    LastUserSuffix,

    /// <summary>The final user turn becomes the text with its one <c>{request}</c> placeholder replaced by the original content.</summary>
    [JsonStringEnumMemberName("last-user-template")]
    LastUserTemplate,

    /// <summary><see cref="PromptAttack.Shots"/> user/assistant example pairs are inserted before the first turn.</summary>
    [JsonStringEnumMemberName("many-shot")]
    ManyShot,
}
