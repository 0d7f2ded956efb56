using System.ComponentModel.DataAnnotations;
using BeneficialRL.Grains.Hosting;
using BeneficialRL.SiloHost.Auth;
using BeneficialRL.SiloHost.Http;
using BeneficialRL.SiloHost.Limits;
using BeneficialRL.Storage.Resilience;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>
/// The silo host's configuration sections, each bound once here, checked at start (a bad value stops the host with a
/// message naming the setting instead of surfacing on the first request) and logged at start by
/// <see cref="SettingsReport"/>. The README's configuration table is checked against this list by a test.
/// </summary>
public static class SiloSettings
{
    /// <summary>Every options type the host binds, with its section; <see cref="AddSiloSettings"/> registers exactly these.</summary>
    public static IReadOnlyList<SettingsSection> Sections { get; } =
    [
        Section<SiloHostOptions>(SiloHostOptions.SectionName),
        Section<ClusterIdentityOptions>(ClusterIdentityOptions.SectionName),
        Section<ApiOptions>(ApiOptions.SectionName),
        Section<AuthOptions>(AuthOptions.SectionName),
        Section<RateLimitOptions>(RateLimitOptions.SectionName),
        Section<ExperimentQuotaOptions>(ExperimentQuotaOptions.SectionName),
        Section<RecoveryOptions>(RecoveryOptions.SectionName),
        Section<InferenceOptions>(InferenceOptions.SectionName),
        Section<BlobResilienceOptions>(BlobResilienceOptions.SectionName),
    ];

    /// <summary>Binds, validates (data annotations, at start) and reports every section of <see cref="Sections"/>.</summary>
    public static IServiceCollection AddSiloSettings(this IServiceCollection services)
    {
        // Roles are also read once before the host is built (SiloHostApp), because they decide which services exist.
        foreach (var section in Sections) section.Register(services);
        services.AddHostedService<SettingsReport>();
        return services;
    }

    /// <summary>One bound section: its options type, its configuration path and how it is registered.</summary>
    public sealed record SettingsSection(Type Options, string Section, Action<IServiceCollection> Register);

    private static SettingsSection Section<T>(string section)
        where T : class => new(typeof(T), section, services => services.AddValidatedOptions<T>(section));

    private static void AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(section));
    }

    /// <summary>
    /// Data annotations of a section and of its nested sections (e.g. <c>Storage:Resilience:Chaos</c>), each failure
    /// naming the full setting, as an operator writes it.
    /// </summary>
    private sealed class SettingsValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = new List<string>();
            Collect(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void Collect(object options, string path, List<string> failures)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
            failures.AddRange(results.Select(r => $"{path}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
            foreach (var property in SettingsReport.Settable(options.GetType()).Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string)
                && !typeof(System.Collections.IEnumerable).IsAssignableFrom(p.PropertyType)))
            {
                if (property.GetValue(options) is { } nested) Collect(nested, $"{path}:{property.Name}", failures);
            }
        }
    }
}
