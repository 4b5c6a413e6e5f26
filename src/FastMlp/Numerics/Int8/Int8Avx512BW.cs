using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastMlp.Numerics;

/// <summary>
/// AVX-512BW path: VPMADDUBSW (u8×s8 pairs → int16) then VPMADDWD by ones (int16 pairs → int32), 64
/// multiply-adds per three instructions on 512-bit registers. VPMADDUBSW saturates at int16, which the
/// 7-bit activations rule out: 2·127·127 = 32258 ≤ 32767. The fastest int8 path .NET 10 can emit on
/// CPUs with AVX-512 VNNI but without VEX AVX-VNNI (Zen 4), whose VPDPBUSD .NET 10 does not expose.
/// </summary>
internal readonly unsafe struct Int8Avx512BW : IInt8Simd<Vector512<int>>
{
    public static int Width => Vector512<int>.Count;
    public static bool IsSupported => Avx512BW.IsSupported;
    public static Vector512<int> Zero => Vector512<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Load(sbyte* p) => Vector512.Load((int*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> BroadcastQuad(byte* p) => Vector512.Create(Quad.Read(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> DotAdd(Vector512<int> acc, Vector512<int> activations, Vector512<int> weights)
    {
        Vector512<short> pairs = Avx512BW.MultiplyAddAdjacent(activations.AsByte(), weights.AsSByte());
        return Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(pairs, Vector512<short>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector512<int> v) => v.Store(p);
}
