using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace BeneficialRL.SiloHost.Hosting;

/// <summary>
/// Logs every section of <see cref="SiloSettings.Sections"/> with its effective values once at start, so an operator
/// reading the log knows what this silo runs with; secrets (<see cref="SensitiveAttribute"/>) only as set or not.
/// </summary>
public sealed partial class SettingsReport(IServiceProvider services, ILogger<SettingsReport> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var section in SiloSettings.Sections) LogSection(logger, section.Section, Describe(Value(section.Options)));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The settings of <paramref name="options"/> as <c>Name=value</c> pairs, nested objects in braces, secrets masked.</summary>
    public static string Describe(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pairs = Settable(options.GetType()).Select(p =>
        {
            var value = p.GetValue(options);
            var shown = p.GetCustomAttribute<SensitiveAttribute>() is not null ? (value is null or "" ? "(not set)" : "(set)")
                : value switch
                {
                    null => "(not set)",
                    string text => text,
                    System.Collections.IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{k}={map[k]}")) + "}",
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    _ when p.PropertyType.IsClass => "{" + Describe(value) + "}",
                    _ => value.ToString(),
                };
            return $"{p.Name}={shown}";
        });
        return string.Join(", ", pairs);
    }

    /// <summary>The public settable properties of <paramref name="type"/>: the ones configuration binds.</summary>
    public static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && !typeof(Delegate).IsAssignableFrom(p.PropertyType));

    private object Value(Type type) =>
        typeof(IOptions<>).MakeGenericType(type).GetProperty(nameof(IOptions<object>.Value))!.GetValue(services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type)))!;

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings {Section}: {Values}")]
    private static partial void LogSection(ILogger logger, string section, string values);
}
