using System.Reflection;
using System.Text.Json;
using BeneficialRL.Contracts.Checkpoints;
using BeneficialRL.Contracts.Experiments;
using BeneficialRL.Contracts.Idempotency;
using BeneficialRL.Contracts.Resources;
using BeneficialRL.Contracts.ScenarioSets;
using BeneficialRL.Contracts.Tenancy;
using BeneficialRL.Grains.Experiments;
using BeneficialRL.Storage.GrainState;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace BeneficialRL.Grains.Tests.GrainState;

/// <summary>
/// Every grain state reads back as it was written, after any reactivation: through the silo's state serializer,
/// from the JSON that silos stored before it, and through the real blob provider when grains are deactivated.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainStateRoundTripTests(ClusterFixture fixture)
{
    private static readonly JsonSerializerOptions Comparable = new() { WriteIndented = true };

    /// <summary>The names of <see cref="RealisticGrainStates.All"/>.</summary>
    public static TheoryData<string> Samples => [.. RealisticGrainStates.All.Keys];

    private IServiceProvider SiloServices => fixture.Cluster.Silos[0].ServiceProvider;

    private GrainStateSerializer Serializer => SiloServices.GetRequiredService<GrainStateSerializer>();

    [Theory]
    [MemberData(nameof(Samples))]
    public void Serialize_RealisticState_ReadsBackEqualAndIsNotTakenForJson(string sample)
    {
        var state = RealisticGrainStates.All[sample];

        var stored = SerializeAs(state);
        var read = DeserializeAs(state.GetType(), stored);

        Assert.False(GrainStateSerializer.IsLegacyJson(stored.ToMemory().Span), $"{sample}: the binary form starts with '{{'.");
        Assert.Equal(Describe(state), Describe(read));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Deserialize_RealisticStateStoredByTheOldJsonSerializer_ReadsBackEqual(string sample)
    {
        var state = RealisticGrainStates.All[sample];
        var legacy = new JsonGrainStorageSerializer(SiloServices.GetRequiredService<OrleansJsonSerializer>());

        var stored = (BinaryData)typeof(JsonGrainStorageSerializer).GetMethod(nameof(JsonGrainStorageSerializer.Serialize))!
            .MakeGenericMethod(state.GetType()).Invoke(legacy, [state])!;
        var read = DeserializeAs(state.GetType(), stored);

        Assert.True(GrainStateSerializer.IsLegacyJson(stored.ToMemory().Span));
        Assert.Equal(Describe(state), Describe(read));
    }

    [Fact]
    public void StateTypes_EveryGrainState_HasARealisticSampleAndOnlyConcreteMemberTypes()
    {
        var stateTypes = typeof(ExperimentGrain).Assembly.GetTypes()
            .Where(t => typeof(Grain).IsAssignableFrom(t))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Where(p => p.GetCustomAttribute<PersistentStateAttribute>() is not null)
            .Select(p => p.ParameterType.GetGenericArguments().Single())
            .ToHashSet();

        Assert.NotEmpty(stateTypes);
        Assert.Empty(stateTypes.Where(t => !RealisticGrainStates.All.Values.Any(s => s.GetType() == t)).Select(t => t.Name));
        var problems = new List<string>();
        foreach (var type in stateTypes) CheckConcrete(type, type.Name, [], problems);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Grains_DrivenThroughTheirOwnMethods_ReadBackEqualAfterDeactivation()
    {
        var tenant = $"t-{Guid.NewGuid():N}"[..16];
        var grains = fixture.Client;

        var set = grains.GetGrain<IScenarioSetGrain>(ResourceKey.For(tenant, "ss_1"));
        await set.CreateAsync("health traits", "three versions");
        for (var n = 0; n < 3; n++) await set.AddVersionAsync(new NewScenarioSetVersion(new string((char)('a' + n), 64), $"p/v{n}.jsonl", 10 + n, 100 + n));

        var parent = grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, "ckpt_base"));
        var child = grains.GetGrain<ICheckpointGrain>(ResourceKey.For(tenant, "ckpt_step2"));
        var registration = new CheckpointRegistration { Name = "base", WeightsPath = "w/base", Sha256 = new string('a', 64), Bytes = 3, Format = "safetensors", Source = "sft" };
        await parent.RegisterAsync(registration);
        await child.RegisterAsync(registration with { Name = "step 2", ParentId = "ckpt_base", WeightsPath = "w/2", Sha256 = new string('b', 64), Step = 2, Metadata = new() { ["arm"] = "treatment" } });

        var keys = grains.GetGrain<ITenantKeysGrain>(tenant);
        var created = await keys.CreateKeyAsync("notebook", [ApiScopes.Read, ApiScopes.Write]);
        await keys.CreateKeyAsync("ci", [ApiScopes.Admin]);
        await keys.RevokeAsync(created.Record.KeyId);

        var idempotency = grains.GetGrain<IIdempotencyGrain>($"{tenant}/request-1");
        var hash = new string('e', 64);
        await idempotency.TryBeginAsync(hash, TimeSpan.FromMinutes(1));
        await idempotency.CompleteAsync(hash, new StoredResponse(201, "application/json", new() { ["Location"] = "/x" }, [1, 2, 3]));

        // A record-only experiment through its lifecycle: every transition appends events and grows lists.
        var experiment = grains.GetGrain<IExperimentGrain>(ResourceKey.For(tenant, "exp_1"));
        await experiment.CreateAsync(new ExperimentSpec { Name = "record", Labels = new() { ["k"] = "v" } });
        await experiment.SubmitAsync();
        await experiment.PauseAsync(null);
        await experiment.ResumeAsync(null);
        await experiment.RaiseAlarmAsync(new ExperimentAlarm { Kind = "reward-hacking", Run = "treatment-s1", Step = 3, Message = "alarm", At = fixture.Clock.GetUtcNow() });
        await experiment.CancelAsync("enough", null);

        async Task<string> SnapshotAsync() => Describe(new object?[]
        {
            await set.GetAsync(), await parent.GetAsync(), await child.GetAsync(), await keys.ListAsync(),
            await idempotency.TryBeginAsync(hash, TimeSpan.FromMinutes(1)),
            await experiment.GetAsync(), await experiment.GetEventsAsync(0), await experiment.GetJobsAsync(),
        });

        var before = await SnapshotAsync();
        foreach (var grain in new IAddressable[] { set, parent, child, keys, idempotency, experiment })
        {
            await fixture.Cluster.DeactivateAsync(grain);
        }

        var after = await SnapshotAsync();

        Assert.Equal(before, after);
        Assert.Contains("\"Alarms\"", after, StringComparison.Ordinal);
    }

    private BinaryData SerializeAs(object state) =>
        (BinaryData)typeof(GrainStateSerializer).GetMethod(nameof(GrainStateSerializer.Serialize))!.MakeGenericMethod(state.GetType()).Invoke(Serializer, [state])!;

    private object DeserializeAs(Type type, BinaryData stored) =>
        typeof(GrainStateSerializer).GetMethod(nameof(GrainStateSerializer.Deserialize))!.MakeGenericMethod(type).Invoke(Serializer, [stored])!;

    /// <summary>A deep, order-preserving description to compare (records with lists compare lists by reference).</summary>
    private static string Describe(object? value) => JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), Comparable);

    /// <summary>
    /// Collects the persisted members (those with <c>[Id]</c>) declared as an interface, abstract class or
    /// <c>object</c>: their values would need a runtime type name to be read back.
    /// </summary>
    private static void CheckConcrete(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)) return;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            CheckConcrete(underlying, path, seen, problems);
            return;
        }

        if (type == typeof(object) || type.IsInterface || type.IsAbstract)
        {
            problems.Add($"{path}: {type.Name} is not a concrete type");
            return;
        }

        if (type.IsArray)
        {
            CheckConcrete(type.GetElementType()!, path + "[]", seen, problems);
            return;
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments()) CheckConcrete(argument, $"{path}<{argument.Name}>", seen, problems);
        }

        const BindingFlags All = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var members = type.GetProperties(All).Where(p => p.GetCustomAttribute<IdAttribute>() is not null).Select(p => (p.Name, p.PropertyType))
            .Concat(type.GetFields(All).Where(f => f.GetCustomAttribute<IdAttribute>() is not null).Select(f => (f.Name, f.FieldType)));
        foreach (var (name, memberType) in members) CheckConcrete(memberType, $"{path}.{name}", seen, problems);
    }
}
