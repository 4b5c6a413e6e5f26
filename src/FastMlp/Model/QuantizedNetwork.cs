using System.Runtime.CompilerServices;
using FastMlp.Numerics;

namespace FastMlp;

/// <summary>
/// The forward pass of a <see cref="WeightPrecision.Int8"/> model, in float between layers. Per int8
/// layer and row: quantize the row's activations (<see cref="ActivationQuantizer"/>), the exact int8
/// product (<see cref="Int8Gemm"/>), then one rescale + bias + activation pass. Rows are independent,
/// so a batch is split into row blocks over the worker pool with results identical for any thread count.
/// </summary>
internal sealed unsafe class QuantizedNetwork
{
    // Below this many multiply-adds a layer runs on the calling thread: waking workers costs more.
    private const long ParallelWork = 1 << 20;
    private const int RowBlock = 4;

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly QuantizedLayer[] _layers;
    private readonly int _maxWidth, _maxQuadBytes, _maxPadded;

    public QuantizedNetwork(QuantizedLayer[] layers)
    {
        _layers = layers;
        _maxWidth = layers.Max(l => Math.Max(l.Inputs, l.Outputs));
        _maxQuadBytes = layers.Max(l => l.Quads * 4);
        _maxPadded = layers.Max(l => l.PaddedOutputs);
    }

    public IReadOnlyList<QuantizedLayer> Layers => _layers;

    /// <summary>y[batch × outputs] from x[batch × inputs] (already standardized).</summary>
    public void Forward(Int8Path path, ReadOnlySpan<float> x, int batch, Span<float> y, WorkerPool? pool)
    {
        Scratch s = t_scratch ??= new Scratch();
        s.Ensure(batch, _maxWidth, _maxQuadBytes, _maxPadded);
        fixed (float* px = x, py = y, ping = s.Ping, pong = s.Pong)
        {
            float* input = px;
            for (int l = 0; l < _layers.Length; l++)
            {
                QuantizedLayer layer = _layers[l];
                float* output = l == _layers.Length - 1 ? py : (l % 2 == 0 ? ping : pong);
                if (layer.IsInt8)
                {
                    long work = (long)batch * layer.Inputs * layer.Outputs;
                    int parts = pool is null || work < ParallelWork ? 1 : Math.Min(pool.Threads, (batch + RowBlock - 1) / RowBlock);
                    s.Set(layer, path, input, output, batch);
                    if (parts > 1)
                    {
                        pool!.Run(s, parts);
                    }
                    else
                    {
                        s.Run(0, 1);
                    }
                }
                else
                {
                    RunFloat(layer, new ReadOnlySpan<float>(input, batch * layer.Inputs), batch, new Span<float>(output, batch * layer.Outputs), pool);
                }
                input = output;
            }
        }
    }

    private static void RunFloat(QuantizedLayer layer, ReadOnlySpan<float> x, int batch, Span<float> z, WorkerPool? pool)
    {
        int k = layer.Inputs, n = layer.Outputs;
        if (LayerKernels<float>.IsTiny(batch, n, k))
        {
            LayerKernels<float>.AffineTiny(x, batch, k, layer.FloatWeights, layer.Bias, n, z);
            LayerKernels<float>.BiasActivation(z, batch, n, default, layer.Activation, default);
        }
        else
        {
            LayerKernels<float>.Multiply(pool, false, false, batch, n, k, x, k, layer.FloatWeights, n, z, n);
            LayerKernels<float>.BiasActivation(z, batch, n, layer.Bias, layer.Activation, default);
        }
    }

    /// <summary>Per-thread buffers, and the one int8 layer being run as row blocks.</summary>
    private sealed class Scratch : IPartitionedWork
    {
        public float[] Ping = [], Pong = [];
        private byte[] _quantized = [];
        private int[] _sums = [];
        private QuantizedLayer? _layer;
        private Int8Path _path;
        private float* _input, _output;
        private int _batch;

        public void Ensure(int batch, int width, int quadBytes, int padded)
        {
            if (Ping.Length < batch * width)
            {
                Ping = new float[batch * width];
                Pong = new float[batch * width];
            }
            if (_quantized.Length < batch * quadBytes)
            {
                _quantized = GC.AllocateArray<byte>(batch * quadBytes, pinned: true);
            }
            if (_sums.Length < batch * padded)
            {
                _sums = GC.AllocateArray<int>(batch * padded, pinned: true);
            }
        }

        public void Set(QuantizedLayer layer, Int8Path path, float* input, float* output, int batch)
        {
            _layer = layer;
            _path = path;
            _input = input;
            _output = output;
            _batch = batch;
        }

        /// <summary>Rows of part <paramref name="part"/>: whole blocks of 4 rows, the last part takes the rest.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int part, int parts)
        {
            QuantizedLayer layer = _layer!;
            int blocks = (_batch + RowBlock - 1) / RowBlock;
            int first = Math.Min(_batch, blocks * part / parts * RowBlock);
            int end = Math.Min(_batch, blocks * (part + 1) / parts * RowBlock);
            if (end <= first)
            {
                return;
            }
            int k = layer.Inputs, n = layer.Outputs, lda = layer.Quads * 4, ldc = layer.PaddedOutputs;
            Span<float> scales = stackalloc float[RowBlock];
            Span<int> zeroPoints = stackalloc int[RowBlock];
            fixed (byte* quantized = _quantized)
            fixed (int* sums = _sums)
            {
                for (int i0 = first; i0 < end; i0 += RowBlock)
                {
                    int rows = Math.Min(RowBlock, end - i0);
                    for (int r = 0; r < rows; r++)
                    {
                        byte* q = quantized + ((nint)(i0 + r) * lda);
                        (scales[r], zeroPoints[r]) = ActivationQuantizer.Quantize(new ReadOnlySpan<float>(_input + ((nint)(i0 + r) * k), k), q);
                        new Span<byte>(q + k, lda - k).Clear();
                    }
                    int* c = sums + ((nint)i0 * ldc);
                    Int8Gemm.Multiply(_path, rows, ldc, layer.Quads, quantized + ((nint)i0 * lda), lda, layer.Packed, c, ldc);
                    for (int r = 0; r < rows; r++)
                    {
                        layer.Epilogue(c + ((nint)r * ldc), scales[r], zeroPoints[r], new Span<float>(_output + ((nint)(i0 + r) * n), n));
                    }
                }
                if (layer.Activation is not (Activation.ReLU or Activation.Identity))
                {
                    LayerKernels<float>.BiasActivation(new Span<float>(_output + ((nint)first * n), (end - first) * n), end - first, n, default, layer.Activation, default);
                }
            }
        }
    }
}
