using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Orleans.Serialization;
using Orleans.Storage;

namespace BeneficialRL.Storage.GrainState;

/// <summary>
/// The grain-state format of every BeneficialRL silo: Orleans' binary serializer over the
/// <c>[GenerateSerializer]</c>/<c>[Id]</c> state types, which tolerates added and removed members and writes no
/// runtime type name for a member whose value has its declared (concrete) type. It also reads, once, the
/// Newtonsoft JSON the silos wrote before, so no stored experiment is lost; the next write stores the binary form.
/// </summary>
/// <remarks>
/// Why not Orleans' default JSON serializer: it writes <c>$type</c> names of runtime types, including
/// compiler-synthesised collections (<c>[.. list, item]</c> assigned to an <c>IReadOnlyList&lt;T&gt;</c> becomes
/// <c>&lt;&gt;z__ReadOnlyArray&lt;T&gt;</c>), and its type allow-list then refuses to read them back: the grain can
/// never activate again. The legacy JSON is therefore read with type names ignored: the declared member types
/// decide, which is sound because no state member is declared as an interface, abstract class or object
/// (a test checks every state type).
/// <para>
/// Telling the formats apart needs no marker: Orleans writes the root value as field 0, whose first byte has a
/// zero field-id delta in its low three bits, so it is never <c>{</c> (0x7B), with which every JSON object starts.
/// </para>
/// </remarks>
public sealed class GrainStateSerializer : IGrainStorageSerializer
{
    private const byte JsonObjectStart = (byte)'{';

    private readonly OrleansGrainStorageSerializer _binary;
    private readonly JsonSerializerSettings _legacyJson;

    /// <summary>Creates the serializer from the silo's Orleans serializer and its (legacy) JSON settings.</summary>
    public GrainStateSerializer(Serializer serializer, IOptions<OrleansJsonSerializerOptions> legacyJsonOptions)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(legacyJsonOptions);
        _binary = new OrleansGrainStorageSerializer(serializer);
        _legacyJson = new JsonSerializerSettings(legacyJsonOptions.Value.JsonSerializerSettings)
        {
            // The stored type names are exactly what could not be read: let the declared types decide.
            TypeNameHandling = TypeNameHandling.None,
            SerializationBinder = null,
            // Orleans' settings omitted members equal to default(T) when writing, so a missing member means exactly
            // that value, not the property's initializer (an experiment at stage 0 otherwise came back at stage -1).
            DefaultValueHandling = DefaultValueHandling.Populate,
        };
    }

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => _binary.Serialize(input);

    /// <inheritdoc />
    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IsLegacyJson(input.ToMemory().Span)
            ? JsonConvert.DeserializeObject<T>(input.ToString(), _legacyJson)
            : _binary.Deserialize<T>(input);
    }

    /// <summary>True when <paramref name="content"/> is the JSON object the silos stored before the binary format.</summary>
    /// <remarks>Newtonsoft wrote neither a byte-order mark nor leading white space, so the first byte decides.</remarks>
    public static bool IsLegacyJson(ReadOnlySpan<byte> content) => !content.IsEmpty && content[0] == JsonObjectStart;
}
