using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastMlp;

/// <summary>The update kernels: one vectorized pass over all parameters (they are contiguous).</summary>
internal static class OptimizerUpdate<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Applies one update. <paramref name="step"/> counts updates from 1 (Adam bias correction).</summary>
    public static void Apply(Optimizer optimizer, double learningRate, long step, Span<T> p, ReadOnlySpan<T> g, Span<T> first, Span<T> second)
    {
        if (optimizer.Kind == OptimizerKind.Sgd)
        {
            Sgd(optimizer, learningRate, p, g, first);
        }
        else
        {
            Adam(optimizer, learningRate, step, p, g, first, second);
        }
    }

    private static void Sgd(Optimizer o, double learningRate, Span<T> p, ReadOnlySpan<T> g, Span<T> velocity)
    {
        T lr = T.CreateTruncating(learningRate);
        if (o.Momentum == 0 && o.WeightDecay == 0)
        {
            // p ← p − lr·g
            TensorPrimitives.MultiplyAdd(g, -lr, p, p);
            return;
        }
        T decay = T.CreateTruncating(o.WeightDecay), mu = T.CreateTruncating(o.Momentum);
        bool momentum = o.Momentum > 0, nesterov = o.Nesterov;
        int n = p.Length, i = 0;
        ref T pr = ref p[0];
        ref T gr = ref Unsafe.AsRef(in g[0]);
        ref T vr = ref momentum ? ref velocity[0] : ref pr;
        if (Vector.IsHardwareAccelerated)
        {
            var vlr = new Vector<T>(lr);
            var vdecay = new Vector<T>(decay);
            var vmu = new Vector<T>(mu);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pv = Vector.LoadUnsafe(ref pr, (nuint)i);
                var gv = Vector.LoadUnsafe(ref gr, (nuint)i) + vdecay * pv;
                if (momentum)
                {
                    var v = vmu * Vector.LoadUnsafe(ref vr, (nuint)i) + gv;
                    v.StoreUnsafe(ref vr, (nuint)i);
                    gv = nesterov ? gv + vmu * v : v;
                }
                (pv - vlr * gv).StoreUnsafe(ref pr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T gi = g[i] + decay * p[i];
            if (momentum)
            {
                T v = mu * velocity[i] + gi;
                velocity[i] = v;
                gi = nesterov ? gi + mu * v : v;
            }
            p[i] -= lr * gi;
        }
    }

    private static void Adam(Optimizer o, double learningRate, long step, Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v)
    {
        double correction1 = 1 - Math.Pow(o.Beta1, step);
        double correction2 = 1 - Math.Pow(o.Beta2, step);
        T stepSize = T.CreateTruncating(learningRate / correction1);
        T inverseRootCorrection2 = T.CreateTruncating(1 / Math.Sqrt(correction2));
        T beta1 = T.CreateTruncating(o.Beta1), beta2 = T.CreateTruncating(o.Beta2);
        T oneMinusBeta1 = T.CreateTruncating(1 - o.Beta1), oneMinusBeta2 = T.CreateTruncating(1 - o.Beta2);
        T epsilon = T.CreateTruncating(o.Epsilon);
        bool decoupled = o.Kind == OptimizerKind.AdamW;
        T l2 = decoupled ? T.Zero : T.CreateTruncating(o.WeightDecay);
        // AdamW shrinks the weights before the Adam step: p ← p·(1 − lr·λ).
        T shrink = decoupled ? T.CreateTruncating(1 - learningRate * o.WeightDecay) : T.One;
        int n = p.Length, i = 0;
        ref T pr = ref p[0];
        ref T gr = ref Unsafe.AsRef(in g[0]);
        ref T mr = ref m[0];
        ref T vr = ref v[0];
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> vb1 = new(beta1), vb2 = new(beta2), vc1 = new(oneMinusBeta1), vc2 = new(oneMinusBeta2);
            Vector<T> vstep = new(stepSize), vroot = new(inverseRootCorrection2), veps = new(epsilon), vl2 = new(l2), vshrink = new(shrink);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pv = Vector.LoadUnsafe(ref pr, (nuint)i);
                var gv = Vector.LoadUnsafe(ref gr, (nuint)i) + vl2 * pv;
                var mv = vb1 * Vector.LoadUnsafe(ref mr, (nuint)i) + vc1 * gv;
                var sv = vb2 * Vector.LoadUnsafe(ref vr, (nuint)i) + vc2 * gv * gv;
                mv.StoreUnsafe(ref mr, (nuint)i);
                sv.StoreUnsafe(ref vr, (nuint)i);
                pv = pv * vshrink - vstep * mv / (Vector.SquareRoot(sv) * vroot + veps);
                pv.StoreUnsafe(ref pr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T gi = g[i] + l2 * p[i];
            T mi = beta1 * m[i] + oneMinusBeta1 * gi;
            T vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * shrink - stepSize * mi / (T.Sqrt(vi) * inverseRootCorrection2 + epsilon);
        }
    }
}

/// <summary>
/// The optimizer update, split over a worker pool when there is one and enough parameters: each part
/// updates a fixed slice (every parameter's update is independent, so the result is bit-identical to
/// one pass). Allocated once per trainer; the spans' memory is pinned (parameters) or native (arena).
/// </summary>
internal sealed unsafe class ParallelOptimizerUpdate<T> : Numerics.IPartitionedWork where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Parameters per part below which splitting costs more than it saves.</summary>
    public const int MinimumPerPart = 1 << 15;

    private Optimizer _optimizer = null!;
    private double _learningRate;
    private long _step;
    private T* _p, _g, _firstMoment, _secondMoment;
    private int _count, _firstLength, _secondLength;

    public void Apply(Numerics.WorkerPool? pool, Optimizer optimizer, double learningRate, long step,
                      Span<T> p, ReadOnlySpan<T> g, Span<T> first, Span<T> second)
    {
        int parts = pool is null ? 1 : Math.Min(pool.Threads, p.Length / MinimumPerPart);
        if (parts <= 1)
        {
            OptimizerUpdate<T>.Apply(optimizer, learningRate, step, p, g, first, second);
            return;
        }
        _optimizer = optimizer;
        _learningRate = learningRate;
        _step = step;
        _p = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(p));
        _g = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(g));
        _firstMoment = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first));
        _secondMoment = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(second));
        (_count, _firstLength, _secondLength) = (p.Length, first.Length, second.Length);
        pool!.Run(this, parts);
    }

    public void Run(int part, int parts)
    {
        // Slices start on 16-element boundaries so every part's vector loop sees aligned data.
        int chunk = ((_count / parts) + 15) & ~15;
        int start = Math.Min(_count, part * chunk);
        int end = part == parts - 1 ? _count : Math.Min(_count, start + chunk);
        int length = end - start;
        if (length <= 0)
        {
            return;
        }
        OptimizerUpdate<T>.Apply(_optimizer, _learningRate, _step,
            new Span<T>(_p + start, length), new ReadOnlySpan<T>(_g + start, length),
            _firstLength > 0 ? new Span<T>(_firstMoment + start, length) : default,
            _secondLength > 0 ? new Span<T>(_secondMoment + start, length) : default);
    }
}
