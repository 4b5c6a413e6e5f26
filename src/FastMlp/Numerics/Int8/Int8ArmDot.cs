using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace FastMlp.Numerics;

/// <summary>
/// Arm64 dot-product path: SDOT (s8×s8 quads → int32). Activations in [0, 127] are valid signed bytes,
/// so the unsigned-activation scheme of the x64 paths runs unchanged and exactly.
/// </summary>
internal readonly unsafe struct Int8ArmDot : IInt8Simd<Vector128<int>>
{
    public static int Width => Vector128<int>.Count;
    public static bool IsSupported => Dp.IsSupported;
    public static Vector128<int> Zero => Vector128<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Load(sbyte* p) => Vector128.Load((int*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> BroadcastQuad(byte* p) => Vector128.Create(Quad.Read(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> DotAdd(Vector128<int> acc, Vector128<int> activations, Vector128<int> weights) =>
        Dp.DotProduct(acc, activations.AsSByte(), weights.AsSByte());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector128<int> v) => v.Store(p);
}
