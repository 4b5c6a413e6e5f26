
namespace FastMlp.Numerics;

/// <summary>
/// The vector operations one ISA path provides to the shared GEMM driver and micro-kernel.
/// Implemented by small structs (one file per ISA) so that every generic instantiation is
/// specialized and inlined by the JIT, TensorPrimitives-style.
/// </summary>
internal unsafe interface ISimd<T, TV>
    where T : unmanaged
    where TV : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Width { get; }

    /// <summary>Rows of C held in registers by the micro-kernel (broadcast side).</summary>
    static abstract int RowsPerTile { get; }

    /// <summary>Vectors of C per row held in registers by the micro-kernel.</summary>
    static abstract int VectorsPerTile { get; }

    static abstract bool IsSupported { get; }

    static abstract TV Zero { get; }

    static abstract TV Load(T* p);

    static abstract void Store(T* p, TV v);

    static abstract TV Broadcast(T value);

    /// <summary>x·y + acc (fused where the ISA has FMA).</summary>
    static abstract TV MultiplyAdd(TV x, TV y, TV acc);

    static abstract TV Multiply(TV x, TV y);

    /// <summary>A mask selecting the first <paramref name="count"/> lanes (0 &lt; count ≤ Width).</summary>
    static abstract TV FirstLanes(int count);

    /// <summary>Loads the first <paramref name="count"/> lanes (others zero) without touching memory past them.</summary>
    static abstract TV LoadFirst(T* p, TV mask, int count);

    /// <summary>Stores the first <paramref name="count"/> lanes without touching memory past them.</summary>
    static abstract void StoreFirst(T* p, TV v, TV mask, int count);
}

/// <summary>Compile-time integer for specializing generic kernels by tile shape.</summary>
internal interface IConstant
{
    static abstract int Value { get; }
}

internal readonly struct C1 : IConstant { public static int Value => 1; }
internal readonly struct C2 : IConstant { public static int Value => 2; }
internal readonly struct C3 : IConstant { public static int Value => 3; }
internal readonly struct C4 : IConstant { public static int Value => 4; }
internal readonly struct C5 : IConstant { public static int Value => 5; }
internal readonly struct C6 : IConstant { public static int Value => 6; }
internal readonly struct C0 : IConstant { public static int Value => 0; }
