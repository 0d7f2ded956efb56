using System.Text.Json.Serialization;

namespace BeneficialRL.Durability.Attacks;

/// <summary>What an attack steers toward; JSON <c>harmful-persona</c>, <c>helpful-persona</c> or <c>transform</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttackKind>))]
public enum AttackKind
{
    /// <summary>A system persona that steers toward harm.</summary>
    [JsonStringEnumMemberName("harmful-persona")]
    HarmfulPersona,

    /// <summary>A system persona that steers toward help: the steerability control (scores should not fall).</summary>
    [JsonStringEnumMemberName("helpful-persona")]
    HelpfulPersona,

    /// <summary>A jailbreak-style rewrite of the conversation (prefix injection, role play, authority, many-shot).</summary>
    [JsonStringEnumMemberName("transform")]
    Transform,
}
