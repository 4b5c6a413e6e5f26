namespace FastMlp.Numerics;

/// <summary>Work split into parts by the caller: part p of n covers a fixed slice, whichever thread runs it.</summary>
internal interface IPartitionedWork
{
    void Run(int part, int parts);
}

/// <summary>
/// A persistent set of worker threads for splitting one kernel call into parts, owned by a trainer
/// or an inference model (or passed to <see cref="Gemm"/> directly). Unlike a Parallel.For per call it
/// creates no tasks and allocates nothing per call, and it never oversubscribes: the calling thread
/// runs part 0 and <see cref="Threads"/> − 1 workers run the rest. Parts are fixed by the caller's
/// partition, never by timing, so results do not depend on which thread ran what.
/// </summary>
public sealed unsafe class WorkerPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim _wake = new(0);
    // No spinning inside the event: WaitForParts spins for a bounded time instead (see there).
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private readonly Lock _runLock = new();
    private delegate*<int, int, void*, void> _body;
    private IPartitionedWork? _work;
    private void* _state;
    private int _parts;
    private int _next;
    private int _remaining;
    private Exception? _failure;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="threads"/> − 1 background workers (1 = run everything on the caller).</summary>
    public WorkerPool(int threads)
    {
        Guard.Between(threads, 1, 1024, "Thread count");
        Threads = threads;
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"FastMlp worker {i + 1}" };
            _workers[i].Start();
        }
        if (_workers.Length > 0)
        {
            // The first blocking wait on a ManualResetEventSlim allocates its lock object (24 B) on the waiting
            // thread; a short timed wait here takes that allocation, so that no later Run allocates when a worker
            // is slow enough for the caller to block. With no spin count it blocks at once: an event that spins
            // first (as this one did, 2000 spins) yields its time slice on every spin, which on a loaded machine
            // made each pool construction take up to seconds.
            _done.Wait(1);
        }
    }

    /// <summary>
    /// A disposed pool is refused by every call that takes it, also by one too small to split (which runs on the
    /// caller alone): using a pool after Dispose is a bug whether or not this call needed the workers.
    /// </summary>
    internal void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowHelper.ObjectDisposed(nameof(WorkerPool));
        }
    }

    /// <summary>Threads that run parts, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>
    /// Runs body(part, parts, state) for every part in [0, parts), parts ≤ <see cref="Threads"/>,
    /// and returns when all have finished. Calls from several threads are serialized.
    /// </summary>
    internal void Run(IPartitionedWork work, int parts) => Run(null, null, work, parts);

    internal void Run(delegate*<int, int, void*, void> body, void* state, int parts) => Run(body, state, null, parts);

    private void Run(delegate*<int, int, void*, void> body, void* state, IPartitionedWork? work, int parts)
    {
        if (_disposed)
        {
            ThrowHelper.ObjectDisposed(nameof(WorkerPool));
        }
        if (parts <= 1)
        {
            Execute(body, state, work, 0, 1);
            return;
        }
        lock (_runLock)
        {
            // Dispose may have won the lock while this call waited for it.
            if (_disposed)
            {
                ThrowHelper.ObjectDisposed(nameof(WorkerPool));
            }
            _body = body;
            _state = state;
            _work = work;
            _parts = parts;
            _failure = null;
            _next = 1;
            _remaining = parts - 1;
            _done.Reset();
            _wake.Release(parts - 1);
            Exception? mine = null;
            try
            {
                Execute(body, state, work, 0, parts);
            }
            catch (Exception e)
            {
                mine = e;
            }
            WaitForParts();
            Exception? failure = mine ?? _failure;
            if (failure is not null)
            {
                throw new AggregateException("A FastMlp worker failed.", failure);
            }
        }
    }

    /// <summary>Max time the caller spins for the workers before it blocks (a wake-up costs microseconds).</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 2000; // 0.5 ms

    /// <summary>
    /// Waits for the last worker's <see cref="ManualResetEventSlim.Set"/>. Spinning first avoids the wake-up
    /// latency when the workers finish about when the caller does (the usual case: parts are equal); the spin
    /// is bounded by time, not by a count, because every spin past the first few yields the time slice, and on
    /// a loaded machine a count of yields can last far longer than the work.
    /// </summary>
    private void WaitForParts()
    {
        if (!_done.IsSet)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var spinner = default(SpinWait);
            while (!_done.IsSet && System.Diagnostics.Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            _done.Wait();
        }
    }

    private static void Execute(delegate*<int, int, void*, void> body, void* state, IPartitionedWork? work, int part, int parts)
    {
        if (work is not null)
        {
            work.Run(part, parts);
        }
        else
        {
            body(part, parts, state);
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _wake.Wait();
            if (_disposed)
            {
                return;
            }
            int part = Interlocked.Increment(ref _next) - 1;
            try
            {
                Execute(_body, _state, _work, part, _parts);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.Set();
            }
        }
    }

    /// <summary>Stops and joins the workers; a call in progress finishes first.</summary>
    public void Dispose()
    {
        lock (_runLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_workers.Length > 0)
            {
                _wake.Release(_workers.Length); // Release(0) throws
            }
        }
        foreach (Thread t in _workers)
        {
            t.Join();
        }
        _wake.Dispose();
        _done.Dispose();
    }
}
