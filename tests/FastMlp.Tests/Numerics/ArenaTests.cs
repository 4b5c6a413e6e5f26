using FastMlp.Numerics;
using Xunit;

namespace FastMlp.Tests.Numerics;

public class ArenaTests
{
    [Fact]
    public void Buffers_are_64_byte_aligned_disjoint_and_sized()
    {
        var layout = new ArenaLayout();
        ArenaBuffer<float> w = layout.Add<float>("weights", 13);
        ArenaBuffer<double> g = layout.Add<double>("grads", 5);
        ArenaBuffer<int> idx = layout.Add<int>("index", 1);
        using var pool = new ArenaPool();
        using Arena arena = pool.Rent(layout);
        unsafe
        {
            fixed (float* pw = arena.Span(w))
            fixed (double* pg = arena.Span(g))
            fixed (int* pi = arena.Span(idx))
            {
                Assert.Equal(0, (long)pw % 64);
                Assert.Equal(0, (long)pg % 64);
                Assert.Equal(0, (long)pi % 64);
                Assert.True((byte*)pg >= (byte*)(pw + 13));
                Assert.True((byte*)pi >= (byte*)(pg + 5));
            }
        }
        Assert.Equal(13, arena.Span(w).Length);
        Assert.Equal(5, arena.Span(g).Length);
        arena.Span(w).Fill(1f);
        arena.Span(g).Fill(2.0);
        Assert.All(arena.Span(w).ToArray(), x => Assert.Equal(1f, x));
        Assert.Equal(192, layout.Bytes);
    }

    [Fact]
    public void Everything_rented_comes_back_and_blocks_are_reused()
    {
        using var pool = new ArenaPool();
        var big = new ArenaLayout();
        big.Add<float>("x", 10_000);
        var small = new ArenaLayout();
        small.Add<float>("y", 100);

        Arena a1 = pool.Rent(big);
        Arena a2 = pool.Rent(small);
        Assert.Equal(2, pool.Outstanding);
        a1.Dispose();
        a2.Dispose();
        a2.Dispose(); // idempotent
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(2, pool.FreeBlocks);

        using (Arena again = pool.Rent(small))
        {
            Assert.Equal(1, pool.FreeBlocks); // reused the small block, the big one still free
            Assert.True(again.Capacity < big.Bytes);
        }
        Assert.Equal(0, pool.Outstanding);
        pool.Trim();
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void Taking_views_allocates_no_managed_memory()
    {
        var layout = new ArenaLayout();
        ArenaBuffer<float> w = layout.Add<float>("w", 1000);
        ArenaBuffer<float> b = layout.Add<float>("b", 10);
        using var pool = new ArenaPool();
        using Arena arena = pool.Rent(layout);
        float sum = 0;
        for (int i = 0; i < 10; i++)
        {
            sum += arena.Span(w)[i] + arena.Span(b)[i];
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Span<float> s = arena.Span(w);
            s[i] = i;
            sum += arena.Span(b)[i % 10] + s[i];
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.True(sum > 0);
    }

    [Fact]
    public void Views_are_bounds_checked_and_checked_against_their_layout()
    {
        var layout = new ArenaLayout();
        ArenaBuffer<float> w = layout.Add<float>("w", 4);
        var other = new ArenaLayout();
        ArenaBuffer<float> foreign = other.Add<float>("foreign", 4);
        using var pool = new ArenaPool();
        Arena arena = pool.Rent(layout);
        Assert.Throws<IndexOutOfRangeException>(() => arena.Span(w)[4] = 1);
        var ex = Assert.Throws<ArgumentException>(() => arena.Span(foreign));
        Assert.Contains("foreign", ex.Message);
        arena.Dispose();
        Assert.Throws<ObjectDisposedException>(() => arena.Span(w));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.Add<float>("neg", -1));
    }
}
