using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FastMlp.Numerics;

/// <summary>
/// Portable path: <see cref="Vector128{T}"/> only (x64 SSE or Arm64 AdvSimd). Each lane's four signed
/// weight bytes are sign-extended by shifts and multiplied as int32, so nothing can saturate.
/// </summary>
internal readonly unsafe struct Int8Portable : IInt8Simd<Vector128<int>>
{
    public static int Width => Vector128<int>.Count;
    public static bool IsSupported => Vector128.IsHardwareAccelerated;
    public static Vector128<int> Zero => Vector128<int>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Load(sbyte* p) => Vector128.Load((int*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> BroadcastQuad(byte* p) => Vector128.Create(Quad.Read(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> DotAdd(Vector128<int> acc, Vector128<int> activations, Vector128<int> weights)
    {
        // Byte t of a lane, sign-extended: (x << (24 − 8t)) >> 24. Activations are ≤ 127, so signed is exact too.
        acc += Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(activations, 24), 24) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(weights, 24), 24);
        acc += Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(activations, 16), 24) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(weights, 16), 24);
        acc += Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(activations, 8), 24) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(weights, 8), 24);
        return acc + (Vector128.ShiftRightArithmetic(activations, 24) * Vector128.ShiftRightArithmetic(weights, 24));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(int* p, Vector128<int> v) => v.Store(p);
}
