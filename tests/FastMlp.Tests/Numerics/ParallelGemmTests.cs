using FastMlp.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace FastMlp.Tests.Numerics;

public sealed class ParallelGemmTests : IDisposable
{
    private readonly WorkerPool _two = new(2);
    private readonly WorkerPool _three = new(3);

    public void Dispose()
    {
        _two.Dispose();
        _three.Dispose();
    }

    private static Gen<(int M, int N, int K, bool TA, bool TB, int Seed)> Shapes =>
        from m in Gen.OneOf(Gen.Choose(1, 300), Gen.Elements(1, 2, 6, 7, 12, 13, 64))
        from n in Gen.OneOf(Gen.Choose(1, 700), Gen.Elements(10, 16, 17, 64, 65, 128, 513, 1030))
        from k in Gen.OneOf(Gen.Choose(1, 900), Gen.Elements(1, 384, 385, 512, 513, 784))
        from ta in ArbMap.Default.GeneratorFor<bool>()
        from tb in ArbMap.Default.GeneratorFor<bool>()
        from seed in Gen.Choose(0, 1_000_000)
        select (m, n, k, ta, tb, seed);

    [Property(MaxTest = 40)]
    public Property Results_are_bit_identical_for_one_two_and_three_threads() =>
        Prop.ForAll(Shapes.ToArbitrary(), s =>
        {
            var rng = new Random(s.Seed);
            float[] a = GemmReferenceCheck.Random<float>(rng, s.M * s.K);
            float[] b = GemmReferenceCheck.Random<float>(rng, s.K * s.N);
            float[] c0 = GemmReferenceCheck.Random<float>(rng, s.M * s.N);
            int lda = s.TA ? s.M : s.K, ldb = s.TB ? s.K : s.N;
            float[] one = (float[])c0.Clone(), two = (float[])c0.Clone(), three = (float[])c0.Clone();
            Gemm.Multiply(null, s.TA, s.TB, s.M, s.N, s.K, 1.5f, a, lda, b, ldb, 0.5f, one, s.N);
            Gemm.Multiply(_two, s.TA, s.TB, s.M, s.N, s.K, 1.5f, a, lda, b, ldb, 0.5f, two, s.N);
            Gemm.Multiply(_three, s.TA, s.TB, s.M, s.N, s.K, 1.5f, a, lda, b, ldb, 0.5f, three, s.N);
            return (one.AsSpan().SequenceEqual(two) && one.AsSpan().SequenceEqual(three)).Label($"{s}");
        });

    [Theory]
    [InlineData(64, 128, 784)]
    [InlineData(300, 1030, 520)]
    [InlineData(1, 1024, 784)]
    public void Prepacked_results_are_bit_identical_for_any_thread_count(int m, int n, int k)
    {
        var rng = new Random(m + n + k);
        double[] a = GemmReferenceCheck.Random<double>(rng, m * k);
        double[] b = GemmReferenceCheck.Random<double>(rng, k * n);
        using PackedMatrix<double> packed = Gemm.Pack<double>(false, k, n, b, n);
        double[] one = new double[m * n], two = new double[m * n], three = new double[m * n];
        Gemm.Multiply(null, false, m, 1.0, a, k, packed, 0.0, one, n);
        Gemm.Multiply(_two, false, m, 1.0, a, k, packed, 0.0, two, n);
        Gemm.Multiply(_three, false, m, 1.0, a, k, packed, 0.0, three, n);
        Assert.True(one.AsSpan().SequenceEqual(two));
        Assert.True(one.AsSpan().SequenceEqual(three));
        // And it is the product: compare with the reference.
        double[] reference = new double[m * n];
        GemmScalar.Multiply(false, false, m, n, k, 1.0, a, k, b, n, 0.0, reference, n);
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - one[i]) < 1e-10 * k, $"element {i}");
        }
    }

    [Fact]
    public void Two_threads_allocate_nothing_after_warm_up()
    {
        var rng = new Random(5);
        float[] a = GemmReferenceCheck.Random<float>(rng, 256 * 256);
        float[] b = GemmReferenceCheck.Random<float>(rng, 256 * 256);
        float[] c = new float[256 * 256];
        Gemm.Multiply(_two, false, false, 256, 256, 256, 1f, a, 256, b, 256, 0f, c, 256);
        Gemm.Multiply(_two, false, true, 256, 256, 256, 1f, a, 256, b, 256, 0f, c, 256);
        Allocations.AssertNone(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                Gemm.Multiply(_two, false, false, 256, 256, 256, 1f, a, 256, b, 256, 0f, c, 256);
                Gemm.Multiply(_two, false, true, 256, 256, 256, 1f, a, 256, b, 256, 0f, c, 256);
            }
        }, "two-thread GEMM", _two);
    }

    [Fact]
    public void Dispose_while_other_threads_are_multiplying_neither_deadlocks_nor_corrupts()
    {
        var pool = new WorkerPool(2);
        var rng = new Random(6);
        float[] a = GemmReferenceCheck.Random<float>(rng, 128 * 256);
        float[] b = GemmReferenceCheck.Random<float>(rng, 256 * 256);
        float[] expected = new float[128 * 256];
        Gemm.Multiply(null, false, false, 128, 256, 256, 1f, a, 256, b, 256, 0f, expected, 256);
        int completed = 0, disposedSeen = 0, wrong = 0;
        Thread[] users = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            float[] c = new float[128 * 256];
            for (int i = 0; i < 200; i++)
            {
                c.AsSpan().Fill(float.NaN);
                try
                {
                    Gemm.Multiply(pool, false, false, 128, 256, 256, 1f, a, 256, b, 256, 0f, c, 256);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref disposedSeen);
                    return;
                }
                // Every multiply that returned normally wrote the whole product (bit-identical for any thread count).
                if (!c.AsSpan().SequenceEqual(expected))
                {
                    Interlocked.Increment(ref wrong);
                }
                Interlocked.Increment(ref completed);
            }
        })).ToArray();
        foreach (Thread t in users) t.Start();
        // Dispose once some multiplies are through, so C is inspected on both sides of the Dispose.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref completed) >= 3, TimeSpan.FromSeconds(60)), "no multiply completed");
        pool.Dispose();
        Assert.All(users, t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a multiply hung after Dispose"));
        Assert.Equal(0, wrong);
        Assert.True(completed >= 3);
        Assert.True(disposedSeen + completed > 0);
        pool.Dispose(); // idempotent
    }

    [Fact]
    public void Thread_counts_are_validated()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(0));
        Assert.Equal("threads", e.ParamName);
        Assert.StartsWith("Thread count must be in [1, 1024], but was 0.", e.Message);
        Assert.StartsWith("Thread count must be in [1, 1024], but was 1025.", Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(1025)).Message);
        // 1 is accepted (no workers: the caller runs everything).
        Assert.Equal(1, new WorkerPool(1).Threads);
    }

    [Fact]
    public void A_pool_without_workers_multiplies_on_the_caller_and_disposes_cleanly()
    {
        var random = new Random(5);
        float[] a = [.. Enumerable.Range(0, 40 * 30).Select(_ => (float)random.NextDouble())];
        float[] b = [.. Enumerable.Range(0, 30 * 50).Select(_ => (float)random.NextDouble())];
        var expected = new float[40 * 50];
        var actual = new float[40 * 50];
        Gemm.Multiply(false, false, 40, 50, 30, 1f, a, 30, b, 50, 0f, expected, 50);
        var pool = new WorkerPool(1);
        Gemm.Multiply(pool, false, false, 40, 50, 30, 1f, a, 30, b, 50, 0f, actual, 50);
        Assert.Equal(expected, actual);
        pool.Dispose();
        pool.Dispose(); // idempotent
        // A disposed pool is refused even by a multiply too small to split, on either overload.
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(pool, false, false, 40, 50, 30, 1f, a, 30, b, 50, 0f, actual, 50));
        using PackedMatrix<float> packed = Gemm.Pack(false, 30, 50, b, 50);
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(pool, false, 40, 1f, a, 30, packed, 0f, actual, 50));
        var two = new WorkerPool(2);
        two.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(two, false, false, 2, 2, 2, 1f, a.AsSpan(0, 4), 2, b.AsSpan(0, 4), 2, 0f, actual.AsSpan(0, 4), 2));
    }
}
