using System.Runtime.InteropServices;

namespace FastMlp.Benchmarks;

/// <summary>
/// OpenBLAS's cblas_sgemm through P/Invoke, the peer the GEMM benchmarks compare against
/// (Debian: apt-get install libopenblas-dev). Benchmarks that need it are filtered out when the
/// library cannot be loaded.
/// </summary>
internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    public const int RowMajor = 101;
    public const int NoTrans = 111;
    public const int Trans = 112;

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!NativeLibrary.TryLoad(Library, out nint handle))
        {
            return false;
        }
        NativeLibrary.Free(handle);
        return true;
    });

    public static bool IsAvailable => Available.Value;

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                                     float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_corename")]
    public static partial nint GetCoreName();

    public static string CoreName => Marshal.PtrToStringAnsi(GetCoreName()) ?? "?";
}
