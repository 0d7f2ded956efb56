using BeneficialRL.Learning.Model;
using BeneficialRL.Learning.Torch;
using Mono.Cecil;
using Mono.Cecil.Cil;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Tests.Torch;

/// <summary>
/// The learning library never hands libtorch a temporary <see cref="Scalar"/>: TorchSharp passes only the raw handle, so a
/// temporary may be finalised, and its native value freed, while libtorch still reads it (see <see cref="HeldScalars"/>).
/// </summary>
public sealed class ScalarLifetimeTests
{
    [Fact]
    public void RotaryApply_UnderConstantGarbageCollection_NeverReadsAFreedScalar()
    {
        // The failure of a test run at 47ee5e6: "Expected false to be true ... toFloat" from addcmul_'s value, an
        // implicit Scalar(1). Here a second thread collects and finalises without pause while Apply runs. With the
        // temporary Scalar this test failed with that message in each of three runs, within about a second (once the
        // JIT had optimised Apply, so that the temporary is dead as soon as its handle is read); it must not now.
        using var x = randn(2, 4, 16, 32);
        using var cos = randn(1, 1, 16, 32);
        using var sin = randn(1, 1, 16, 32);
        using var expected = (x * cos) + (x.roll(16, -1) * sin);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        })
        { IsBackground = true };
        collector.Start();
        try
        {
            for (var call = 0; call < 200_000; call++)
            {
                using var scope = NewDisposeScope();
                var rotated = RotaryEmbedding.Apply(x, cos, sin);
                if (call % 50_000 == 0)
                {
                    Assert.True(rotated.allclose(expected, rtol: 1e-5, atol: 1e-6));
                }
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    [Fact]
    public void LearningLibrary_PassesNoTemporaryScalarToTorchSharp()
    {
        var audit = ScalarAudit.Load();
        var findings = audit.Scan(typeof(HeldScalars).Assembly.Location);
        Assert.True(findings.Count == 0, "Temporary Scalars passed to TorchSharp (hold them: HeldScalars, or ToScalar() under using):\n" + string.Join('\n', findings));
    }

    [Fact]
    public void Audit_FlagsTheTemporariesItLooksFor()
    {
        // The audit is only as good as its list; these are the patterns that made temporaries in this library.
        var audit = ScalarAudit.Load();
        var findings = audit.Scan(typeof(ScalarLifetimeTests).Assembly.Location, nameof(ScalarLifetimeTests));
        foreach (var method in new[] { nameof(AddsTensors), nameof(ClampsWithALiteral), nameof(SquaresATensor), nameof(DividesByADouble), nameof(AddsInPlace), nameof(KeepsAnUndisposedScalar) })
        {
            Assert.Contains(findings, f => f.Contains($".{method}:", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(findings, f => f.Contains($".{nameof(HoldsEveryScalar)}:", StringComparison.Ordinal));
    }

    // Deliberately unsafe shapes for the audit's own test; never called.
    private static Tensor AddsTensors(Tensor a, Tensor b) => a + b;

    private static Tensor ClampsWithALiteral(Tensor a) => a.clamp_min(0);

    private static Tensor SquaresATensor(Tensor a) => a.square();

    private static Tensor DividesByADouble(Tensor a, double t) => a / t;

    private static Tensor AddsInPlace(Tensor a, Tensor b) => a.add_(b);

    private static Tensor KeepsAnUndisposedScalar(Tensor a, double t)
    {
        var scalar = t.ToScalar();
        return a.div(scalar);
    }

    private static Tensor HoldsEveryScalar(Tensor a, Tensor b, double t)
    {
        using var scalar = t.ToScalar();
        return a.add(b, HeldScalars.One).div(scalar).clamp_min(HeldScalars.Zero);
    }

    /// <summary>Reads TorchSharp's IL for the methods that make a Scalar and do not dispose it, then finds calls to them.</summary>
    private sealed class ScalarAudit
    {
        private readonly HashSet<string> _makeTemporaries;

        private ScalarAudit(HashSet<string> makeTemporaries) => _makeTemporaries = makeTemporaries;

        public static ScalarAudit Load()
        {
            using var torchSharp = ModuleDefinition.ReadModule(typeof(torch).Assembly.Location);
            var bodies = torchSharp.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody)
                .ToDictionary(m => m.FullName, m => m.Body.Instructions.Select(i => i.Operand).OfType<MethodReference>().ToList());

            // A method makes a temporary when it converts to a Scalar and never disposes one, or calls a method that does.
            var makes = bodies.Where(b => b.Value.Any(MakesScalar) && !b.Value.Any(DisposesScalar)).Select(b => b.Key).ToHashSet();
            for (var grew = true; grew;)
            {
                var callers = bodies.Where(b => !makes.Contains(b.Key) && b.Value.Any(r => makes.Contains(r.FullName))).Select(b => b.Key).ToList();
                makes.UnionWith(callers);
                grew = callers.Count > 0;
            }

            Assert.Contains("TorchSharp.torch/Tensor TorchSharp.torch/Tensor::op_Addition(TorchSharp.torch/Tensor,TorchSharp.torch/Tensor)", makes);
            return new ScalarAudit(makes);
        }

        /// <summary>Calls in <paramref name="assemblyPath"/> (types named <paramref name="typeName"/>, or all) that make a temporary Scalar.</summary>
        public List<string> Scan(string assemblyPath, string? typeName = null)
        {
            var symbols = File.Exists(Path.ChangeExtension(assemblyPath, ".pdb"));
            using var module = ModuleDefinition.ReadModule(assemblyPath, new ReaderParameters { ReadSymbols = symbols });
            var findings = new List<string>();
            foreach (var type in module.GetTypes().Where(t => typeName is null || t.Name == typeName || t.DeclaringType?.Name == typeName))
            {
                foreach (var method in type.Methods.Where(m => m.HasBody))
                {
                    var instructions = method.Body.Instructions;
                    for (var i = 0; i < instructions.Count; i++)
                    {
                        if (instructions[i].Operand is not MethodReference callee)
                        {
                            continue;
                        }

                        var temporary = callee.DeclaringType.FullName == "TorchSharp.Scalar" && callee.Name == "op_Implicit"
                            || _makeTemporaries.Contains(callee.FullName)
                            || IsToScalar(callee) && !IsHeld(method, i);
                        if (temporary)
                        {
                            var line = method.DebugInformation.HasSequencePoints
                                ? instructions.Take(i + 1).Reverse().Select(method.DebugInformation.GetSequencePoint).FirstOrDefault(p => p is { IsHidden: false })
                                : null;
                            findings.Add($"{type.FullName}.{method.Name}: {callee.DeclaringType.Name}.{callee.Name}{(line is null ? "" : $" ({Path.GetFileName(line.Document.Url)}:{line.StartLine})")}");
                        }
                    }
                }
            }

            return findings;
        }

        private static bool MakesScalar(MethodReference r) =>
            r.DeclaringType.FullName == "TorchSharp.Scalar" && r.Name == "op_Implicit" || IsToScalar(r);

        private static bool IsToScalar(MethodReference r) => r.DeclaringType.FullName == "TorchSharp.ScalarExtensionMethods" && r.Name == "ToScalar";

        private static bool DisposesScalar(MethodReference r) => r.DeclaringType.FullName == "TorchSharp.Scalar" && r.Name == "Dispose";

        /// <summary>A ToScalar result kept for the process (a static field of HeldScalars) or in a local the method disposes.</summary>
        private static bool IsHeld(MethodDefinition method, int index)
        {
            var next = method.Body.Instructions[index + 1];
            if (next.OpCode == OpCodes.Stsfld)
            {
                return ((FieldReference)next.Operand).DeclaringType.Name == nameof(HeldScalars);
            }

            var local = LocalIndex(next, store: true);
            if (local is null)
            {
                return false;
            }

            var instructions = method.Body.Instructions;
            for (var i = 0; i + 1 < instructions.Count; i++)
            {
                if (LocalIndex(instructions[i], store: false) == local
                    && instructions[i + 1].Operand is MethodReference { Name: "Dispose" } dispose
                    && dispose.DeclaringType.FullName is "System.IDisposable" or "TorchSharp.Scalar")
                {
                    return true;
                }
            }

            return false;
        }

        private static int? LocalIndex(Instruction instruction, bool store)
        {
            var code = instruction.OpCode.Code;
            return (store, code) switch
            {
                (true, Code.Stloc_0) or (false, Code.Ldloc_0) => 0,
                (true, Code.Stloc_1) or (false, Code.Ldloc_1) => 1,
                (true, Code.Stloc_2) or (false, Code.Ldloc_2) => 2,
                (true, Code.Stloc_3) or (false, Code.Ldloc_3) => 3,
                (true, Code.Stloc or Code.Stloc_S) or (false, Code.Ldloc or Code.Ldloc_S) => ((VariableDefinition)instruction.Operand).Index,
                _ => null,
            };
        }
    }
}
