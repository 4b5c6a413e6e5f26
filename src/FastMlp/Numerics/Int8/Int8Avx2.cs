using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastMlp.Numerics;

/// <summary>
/// AVX2 path: VPMADDUBSW + VPMADDWD by ones on 256-bit registers (see <see cref="Int8Avx512BW"/> for why
/// VPMADDUBSW's int16 saturation cannot occur with 7-bit activations).
/// </summary>
internal readonly unsafe struct Int8Avx2 : IInt8Simd<Vector256<int>>
{
    public static int Width => Vector256<int>.Count;
    public static bool IsSupported => Avx2.IsSupported;
    public static Vector256<int> Zero => Vector256<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(sbyte* p) => Vector256.Load((int*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> BroadcastQuad(byte* p) => Vector256.Create(Quad.Read(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotAdd(Vector256<int> acc, Vector256<int> activations, Vector256<int> weights)
    {
        Vector256<short> pairs = Avx2.MultiplyAddAdjacent(activations.AsByte(), weights.AsSByte());
        return Avx2.Add(acc, Avx2.MultiplyAddAdjacent(pairs, Vector256<short>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector256<int> v) => v.Store(p);
}
