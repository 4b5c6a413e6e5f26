using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FastMlp.Numerics;

/// <summary>
/// AVX-VNNI path: one VPDPBUSD (u8×s8 quads → int32, no intermediate saturation) per 32 multiply-adds on
/// 256-bit registers. .NET 10 reports it only on CPUs with the VEX-encoded AVX-VNNI (Alder Lake, Zen 5);
/// a 512-bit VNNI path (<c>AvxVnni.V512</c> in a later .NET) is one more struct like this one.
/// </summary>
internal readonly unsafe struct Int8AvxVnni : IInt8Simd<Vector256<int>>
{
    public static int Width => Vector256<int>.Count;
    public static bool IsSupported => AvxVnni.IsSupported;
    public static Vector256<int> Zero => Vector256<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(sbyte* p) => Vector256.Load((int*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> BroadcastQuad(byte* p) => Vector256.Create(Quad.Read(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotAdd(Vector256<int> acc, Vector256<int> activations, Vector256<int> weights) =>
        AvxVnni.MultiplyWideningAndAdd(acc, activations.AsByte(), weights.AsSByte());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector256<int> v) => v.Store(p);
}
