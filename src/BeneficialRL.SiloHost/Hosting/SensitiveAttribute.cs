namespace BeneficialRL.SiloHost.Hosting;

/// <summary>Marks a setting whose value is a secret: <see cref="SettingsReport"/> logs only whether it is set.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SensitiveAttribute : Attribute;
