using TorchSharp;

namespace BeneficialRL.Learning.Torch;

/// <summary>
/// Scalars that outlive the libtorch calls reading them.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 hands libtorch a <see cref="Scalar"/>'s raw handle and keeps no reference to the Scalar itself. A
/// temporary one (from an implicit conversion such as <c>x * 2.0</c> or <c>clamp_min(0)</c>, or made inside TorchSharp's
/// own overloads: <c>Tensor + Tensor</c> adds with an alpha of 1, <c>square()</c> is <c>pow(2)</c>) becomes garbage as
/// soon as its handle is read, so the garbage collector may finalise it, and free the native value, while libtorch is
/// still reading it. libtorch then reads freed memory; a test run failed that way with "Expected false to be true ...
/// toFloat" in <see cref="Model.RotaryEmbedding.Apply"/>. So the library never passes a temporary: constants live here
/// for the life of the process, and values known only at run time are made with <c>ToScalar()</c> under <c>using</c>,
/// which keeps them reachable until after the call. <c>ScalarLifetimeTests</c> scans this assembly's IL for any
/// call that would make a temporary one.
/// </remarks>
internal static class HeldScalars
{
    /// <summary>The integer 0 (fills, clamps and masks of index tensors).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>The integer 1: the alpha of a plain tensor addition, and off-by-one shifts of positions.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 2: the exponent of a square.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>The floating-point 1.0.</summary>
    public static readonly Scalar OneFloat = 1.0.ToScalar();
}
