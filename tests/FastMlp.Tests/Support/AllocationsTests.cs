using Xunit;

namespace FastMlp.Tests;

/// <summary>The zero-allocation assertion itself: it must catch a per-call allocation and a growing list every time.</summary>
public sealed class AllocationsTests
{
    [Fact]
    public void A_per_call_allocation_fails()
    {
        object? sink = null;
        Assert.ThrowsAny<Exception>(() => Allocations.AssertNone(() => sink = new byte[16], "leak"));
        GC.KeepAlive(sink);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(1000)]
    public void A_list_growing_by_one_per_call_fails(int callsPerPass)
    {
        var list = new List<int>();
        Assert.ThrowsAny<Exception>(() => Allocations.AssertNone(() =>
        {
            for (int i = 0; i < callsPerPass; i++)
            {
                list.Add(i);
            }
        }, "growing list"));
    }

    [Fact]
    public void Work_that_allocates_nothing_passes()
    {
        int[] data = new int[64];
        Allocations.AssertNone(() =>
        {
            for (int i = 0; i < data.Length; i++)
            {
                data[i] += i;
            }
        }, "in place");
    }
}
