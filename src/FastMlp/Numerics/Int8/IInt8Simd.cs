
namespace FastMlp.Numerics;

/// <summary>
/// The vector operations one ISA path provides to the shared int8 kernel (<see cref="Int8Kernel{TV, TS}"/>).
/// A vector holds <see cref="Width"/> int32 lanes, one per output column; the packed weights give each
/// lane four consecutive k values of its column as signed bytes (the VNNI "quad" layout), and the
/// activations four consecutive k values of one row as bytes in [0, 127] broadcast to every lane.
/// <see cref="DotAdd"/> adds the four products to each lane exactly; a new ISA (e.g. 512-bit VNNI) is
/// one new struct implementing this interface.
/// </summary>
internal unsafe interface IInt8Simd<TV> where TV : struct
{
    /// <summary>int32 lanes (output columns) per vector.</summary>
    static abstract int Width { get; }

    static abstract bool IsSupported { get; }

    static abstract TV Zero { get; }

    /// <summary>Loads <see cref="Width"/> columns × 4 signed weight bytes.</summary>
    static abstract TV Load(sbyte* p);

    /// <summary>Broadcasts the 4 activation bytes at <paramref name="p"/> to every lane.</summary>
    static abstract TV BroadcastQuad(byte* p);

    /// <summary>acc + Σₜ a[t]·w[t] per lane (t = 0..3), exact for activations in [0, 127] and weights in [−127, 127].</summary>
    static abstract TV DotAdd(TV acc, TV activations, TV weights);

    static abstract void Store(int* p, TV v);
}

/// <summary>Shared broadcast of one activation quad (4 bytes read as one int32).</summary>
internal static unsafe class Quad
{
    public static int Read(byte* p) => System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(p);
}
