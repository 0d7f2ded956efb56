using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using BeneficialRL.Learning.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Tests.Checkpoints;

public sealed class CheckpointTests
{
    [Fact]
    public async Task SaveLoad_ThroughOneStream_GivesIdenticalLogitsAndLeavesStreamOpen()
    {
        using var model = TestWorld.NewModel(tie: false);
        using var ids = randint(0, model.Config.VocabSize, [2, 9], dtype: ScalarType.Int64);
        using var expected = model.forward(ids);
        using var stream = new MemoryStream();
        using (var checkpoint = Checkpoint.Capture(model, TestWorld.Tokenizer, labels: new Dictionary<string, string> { ["arm"] = "treatment" }))
        {
            await checkpoint.SaveAsync(stream, TestContext.Current.CancellationToken);
        }

        Assert.True(stream.CanWrite, "SaveAsync must not close the caller's stream");
        stream.Position = 0;
        using var loaded = await Checkpoint.LoadAsync(stream, TestContext.Current.CancellationToken);
        Assert.True(stream.CanRead, "LoadAsync must not close the caller's stream");
        Assert.Equal("treatment", loaded.Metadata.Labels["arm"]);
        Assert.Equal(model.Config, loaded.Config);
        Assert.Equal(TestWorld.Tokenizer.Encode("I pick plum."), loaded.Tokenizer.Encode("I pick plum."));
        using var restored = loaded.CreateModel(CPU);
        using var actual = restored.forward(ids);
        Assert.True(expected.eq(actual).all().item<bool>());
    }

    [Fact]
    public async Task SaveAsync_SameCheckpointTwice_WritesIdenticalBytes()
    {
        // Checkpoint blobs are written once: a resumed job re-saving a checkpoint must produce the same archive.
        using var model = TestWorld.NewModel();
        using var checkpoint = Checkpoint.Capture(model, TestWorld.Tokenizer);
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        await checkpoint.SaveAsync(first, TestContext.Current.CancellationToken);
        // Later, as a resumed job is: nothing in the archive may depend on when it was written (a PAX entry stamps
        // access and change times of its creation unless told otherwise).
        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
        await checkpoint.SaveAsync(second, TestContext.Current.CancellationToken);

        Assert.Equal(first.ToArray(), second.ToArray());
        // Nor on which process wrote it: a PAX archive names its extended headers after the process id, so two silos
        // archived the same checkpoint differently (found by a fresh-clone run of the recovery test).
        Assert.DoesNotContain("PaxHeaders", System.Text.Encoding.ASCII.GetString(first.ToArray()), StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), TarEntryNames(first));
    }

    private static List<string> TarEntryNames(MemoryStream archive)
    {
        archive.Position = 0;
        using var reader = new System.Formats.Tar.TarReader(archive, leaveOpen: true);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }

    [Fact]
    public void WriteParts_SeparateStreams_RoundTripAndWeightsAreRealSafetensors()
    {
        using var model = TestWorld.NewModel();
        using var checkpoint = Checkpoint.Capture(model, TestWorld.Tokenizer);
        using var weights = new MemoryStream();
        using var meta = new MemoryStream();
        checkpoint.WriteWeights(weights);
        checkpoint.WriteMetadata(meta);

        // Independent look at the safetensors bytes: u64 header length, JSON header, aligned data.
        var bytes = weights.ToArray();
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        var embed = header.RootElement.GetProperty("model.embed_tokens.weight");
        Assert.Equal("F32", embed.GetProperty("dtype").GetString());
        Assert.Equal(model.Config.VocabSize, embed.GetProperty("shape")[0].GetInt32());
        var dataLength = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Max(p => p.Value.GetProperty("data_offsets")[1].GetInt64());
        Assert.Equal(bytes.Length, 8 + headerLength + dataLength);

        weights.Position = 0;
        meta.Position = 0;
        using var loaded = Checkpoint.FromParts(weights, meta);
        Assert.Null(loaded.Trainer);
        foreach (var (name, parameter) in model.NamedParameters())
        {
            Assert.True(parameter.eq(loaded.Weights[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void Safetensors_HalfPrecisionEntries_AreWidenedToFloat()
    {
        using var stream = new MemoryStream();
        var header = Encoding.UTF8.GetBytes("""{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}""");
        stream.Write(BitConverter.GetBytes((ulong)header.Length));
        stream.Write(header);
        stream.Write(BitConverter.GetBytes((Half)1.5));
        stream.Write(BitConverter.GetBytes((Half)(-2)));
        stream.Write(BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(3.0f) >> 16)));
        stream.Position = 0;
        using var content = Safetensors.Read(stream);
        Assert.Equal([1.5f, -2f], TestWorld.Values(content.Tensors["a"]));
        Assert.Equal([3f], TestWorld.Values(content.Tensors["b"]));
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", "dtype 'U8'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", "need 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "expected 0")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4611686018427387906],"data_offsets":[0,8]}}""", "overflows")]
    public async Task Safetensors_HeaderTheEngineCannotRead_BothReadersRejectItSaying(string json, string why)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + 8];
        BitConverter.GetBytes((ulong)header.Length).CopyTo(bytes, 0);
        header.CopyTo(bytes, 8);

        var read = Assert.Throws<InvalidDataException>(() => Safetensors.Read(new MemoryStream(bytes)));
        var checkedHeader = await Assert.ThrowsAsync<InvalidDataException>(() => Safetensors.ReadHeaderAsync(new MemoryStream(bytes), bytes.Length, TestContext.Current.CancellationToken));

        Assert.Contains(why, read.Message, StringComparison.Ordinal);
        Assert.Equal(read.Message, checkedHeader.Message);
    }

    [Fact]
    public void FromParts_UnknownFormat_ThrowsNamingMetaJson()
    {
        using var model = TestWorld.NewModel();
        using var checkpoint = Checkpoint.Capture(model, TestWorld.Tokenizer);
        using var weights = new MemoryStream();
        checkpoint.WriteWeights(weights);
        weights.Position = 0;
        var json = JsonSerializer.Serialize(checkpoint.Metadata with { Format = "other/9" });
        using var meta = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.FromParts(weights, meta));
        Assert.Contains("meta.json", ex.Message, StringComparison.Ordinal);
    }
}
