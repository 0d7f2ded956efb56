using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BeneficialRL.SiloHost.Http;

/// <summary>
/// Finds nulls the serializer lets through: <c>RespectNullableAnnotations</c> checks members, not the elements of
/// collections or the values of dictionaries, so <c>{"labels":{"k":null}}</c> or <c>{"benchmarkIds":[null]}</c>
/// would reach handlers that (by their types) never expect a null. Walks what was deserialized, member by member as
/// the serializer sees them, and reports the JSON path of the first null in a collection whose element type is
/// declared non-nullable.
/// </summary>
internal static class NullElements
{
    private static readonly ConcurrentDictionary<MemberInfo, NullabilityInfo?> Nullability = new();

    /// <summary>The JSON path of the first forbidden null in <paramref name="value"/>, or null when there is none.</summary>
    public static string? Find(object value, JsonSerializerOptions options) => Walk(value, "$", options);

    private static string? Walk(object value, string path, JsonSerializerOptions options)
    {
        var info = options.GetTypeInfo(value.GetType());
        if (info.Kind != JsonTypeInfoKind.Object) return null;
        foreach (var property in info.Properties)
        {
            // Only members a request can set; computed ones are not input and may not even be safe to evaluate yet.
            if (property.Get is null || (property.Set is null && property.AssociatedParameter is null)) continue;
            if (property.Get(value) is not { } member) continue;
            if (Check(member, $"{path}.{property.Name}", NullabilityOf(property), options) is { } found) return found;
        }

        return null;
    }

    private static string? Check(object value, string path, NullabilityInfo? nullability, JsonSerializerOptions options) =>
        value switch
        {
            string => null,
            IDictionary dictionary => CheckEntries(dictionary, path, nullability?.GenericTypeArguments is { Length: 2 } arguments ? arguments[1] : null, options),
            IEnumerable list => CheckItems(list, path, nullability?.ElementType ?? (nullability?.GenericTypeArguments is { Length: 1 } arguments ? arguments[0] : null), options),
            // Only this product's request records are walked; framework values (JsonElement, DateTimeOffset...) hold no nulls to find.
            _ when value.GetType().Namespace?.StartsWith("BeneficialRL", StringComparison.Ordinal) == true => Walk(value, path, options),
            _ => null,
        };

    private static string? CheckEntries(IDictionary dictionary, string path, NullabilityInfo? element, JsonSerializerOptions options)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            var entryPath = $"{path}.{entry.Key}";
            if (entry.Value is null)
            {
                if (element?.ReadState == NullabilityState.NotNull) return entryPath;
            }
            else if (Check(entry.Value, entryPath, element, options) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? CheckItems(IEnumerable list, string path, NullabilityInfo? element, JsonSerializerOptions options)
    {
        var index = 0;
        foreach (var item in list)
        {
            var itemPath = $"{path}[{index++}]";
            if (item is null)
            {
                if (element?.ReadState == NullabilityState.NotNull) return itemPath;
            }
            else if (Check(item, itemPath, element, options) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static NullabilityInfo? NullabilityOf(JsonPropertyInfo property) =>
        property.AttributeProvider is MemberInfo member
            ? Nullability.GetOrAdd(member, static m => m switch
            {
                // NullabilityInfoContext is not thread-safe: one per lookup, results cached.
                PropertyInfo p => new NullabilityInfoContext().Create(p),
                FieldInfo f => new NullabilityInfoContext().Create(f),
                _ => null,
            })
            : null;
}
