using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FastMlp;

/// <summary>
/// Guards an object that owns native memory (a trainer's arena and worker pool) against use from two threads
/// at once and against being freed while in use. One caller at a time holds it (<see cref="Enter"/> …
/// <see cref="Exit"/>: two interlocked operations, no allocation). <see cref="BeginDispose"/> marks it disposed;
/// the memory is then released by whoever comes last: the disposer when nobody holds it, else the holder
/// when it exits. A disposer on another thread waits for that release, so when Dispose returns the memory is
/// gone and nothing uses it; a holder that disposes itself (from a progress callback) does not deadlock.
/// </summary>
internal sealed class ExclusiveUse(string owner)
{
    private const int Busy = 1, Disposed = 2, Released = 4;
    private int _state;
    private int _holderThread;
    private string _holderOperation = "";

    /// <summary>Whether Dispose was called: a long operation checks this at every batch and stops.</summary>
    public bool DisposeRequested
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Volatile.Read(ref _state) & Disposed) != 0;
    }

    /// <summary>Takes the object for <paramref name="operation"/>; throws if another call holds it or it was disposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter(string operation)
    {
        int prior = Interlocked.CompareExchange(ref _state, Busy, 0);
        if (prior != 0)
        {
            ThrowUnavailable(prior, operation);
        }
        _holderOperation = operation;
        Volatile.Write(ref _holderThread, Environment.CurrentManagedThreadId);
    }

    /// <summary>Gives the object back; true when Dispose was called meanwhile and the caller must now release the memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Exit()
    {
        Volatile.Write(ref _holderThread, 0);
        return (Interlocked.And(ref _state, ~Busy) & Disposed) != 0;
    }

    /// <summary>
    /// Marks the object disposed. True: nobody holds it, the caller releases the memory now. False: already disposed,
    /// or the holder releases it on exit (this method waits for that unless the caller is the holder itself).
    /// </summary>
    public bool BeginDispose()
    {
        int prior = Interlocked.Or(ref _state, Disposed);
        if ((prior & (Disposed | Busy)) == 0)
        {
            return true;
        }
        // 0 means the holder has not written its id yet: it is another thread (this one is here, not in Enter).
        if ((prior & Busy) == 0 || Volatile.Read(ref _holderThread) != Environment.CurrentManagedThreadId)
        {
            WaitForRelease();
        }
        return false;
    }

    /// <summary>Called once the memory is freed; lets waiting disposers return.</summary>
    public void MarkReleased() => Interlocked.Or(ref _state, Released);

    private void WaitForRelease()
    {
        var spin = new SpinWait();
        while ((Volatile.Read(ref _state) & Released) == 0)
        {
            // The holder stops at its next batch: spin briefly, then sleep in 1 ms slices.
            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowUnavailable(int state, string operation)
    {
        if ((state & Disposed) != 0)
        {
            throw new ObjectDisposedException(owner, $"{owner}.{operation} was called after the {owner} was disposed.");
        }
        int holder = Volatile.Read(ref _holderThread);
        int me = Environment.CurrentManagedThreadId;
        string where = holder == me ? "on the same thread (from a callback of that call)" : $"on thread {(holder == 0 ? "?" : holder)}";
        throw new InvalidOperationException(
            $"{owner}.{operation} was called on thread {me} while {owner}.{_holderOperation} is running {where}. " +
            $"A {owner} is not thread-safe: use it from one thread at a time (one trainer per thread).");
    }
}
