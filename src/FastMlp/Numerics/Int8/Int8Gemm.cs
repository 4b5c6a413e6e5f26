using System.Runtime.Intrinsics;

namespace FastMlp.Numerics;

/// <summary>
/// Entry to the int8 kernels: C[rows × n] (int32) = A (7-bit activation bytes) · W (packed signed
/// weight bytes, see <see cref="Int8Kernel{TV, TS}"/>). Integer sums are exact, so every path gives
/// the same C bit for bit.
/// </summary>
internal static unsafe class Int8Gemm
{
    public static void Multiply(Int8Path path, int rows, int n, int quads, byte* a, nint lda, sbyte* w, int* c, nint ldc)
    {
        switch (path)
        {
            case Int8Path.AvxVnni:
                Int8Kernel<Vector256<int>, Int8AvxVnni>.Multiply(rows, n, quads, a, lda, w, c, ldc);
                break;
            case Int8Path.Avx512BW:
                Int8Kernel<Vector512<int>, Int8Avx512BW>.Multiply(rows, n, quads, a, lda, w, c, ldc);
                break;
            case Int8Path.Avx2:
                Int8Kernel<Vector256<int>, Int8Avx2>.Multiply(rows, n, quads, a, lda, w, c, ldc);
                break;
            case Int8Path.ArmDot:
                Int8Kernel<Vector128<int>, Int8ArmDot>.Multiply(rows, n, quads, a, lda, w, c, ldc);
                break;
            case Int8Path.Portable:
                Int8Kernel<Vector128<int>, Int8Portable>.Multiply(rows, n, quads, a, lda, w, c, ldc);
                break;
            default:
                Int8Scalar.Multiply(rows, n, quads, a, lda, w, c, ldc);
                break;
        }
    }
}
