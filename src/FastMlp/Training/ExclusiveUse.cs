using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FastMlp;

/// <summary>
/// Guards an object that owns native memory (a trainer's arena and worker pool) against use from two threads
/// at once and against being freed while in use. One caller at a time holds it (<see cref="Enter"/> …
/// <see cref="Exit"/>: one interlocked operation per call, no allocation). <see cref="BeginDispose"/> marks it
/// disposed; the memory is then released once nobody holds it, by the disposer (which waits for a holder on
/// another thread to exit) or, when the holder disposes itself (from a progress callback), by the holder on exit.
/// </summary>
/// <remarks>
/// Enter does CAS(busy) then reads disposed; Dispose does Exchange(disposed) then reads busy. Both are full
/// fences, so at least one side sees the other: either Enter backs off, or Dispose sees the holder and waits.
/// Exit may read disposed before its store of busy is visible (x64 store–load reordering); then Dispose sees
/// busy and waits for it, so one of them still releases. A claim flag makes sure only one does.
/// </remarks>
internal sealed class ExclusiveUse(string owner)
{
    private int _busy, _disposed, _releaseClaimed, _released;
    private int _holderThread;
    private string _holderOperation = "";

    /// <summary>Whether Dispose was called: a long operation checks this at every batch and stops.</summary>
    public bool DisposeRequested
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _disposed) != 0;
    }

    /// <summary>Takes the object for <paramref name="operation"/>; throws if another call holds it or it was disposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter(string operation)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            ThrowBusy(operation);
        }
        if (Volatile.Read(ref _disposed) != 0)
        {
            Volatile.Write(ref _busy, 0);
            ThrowDisposed(operation);
        }
        _holderOperation = operation;
        Volatile.Write(ref _holderThread, Environment.CurrentManagedThreadId);
    }

    /// <summary>Gives the object back; true when Dispose was called meanwhile and the caller must now release the memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Exit()
    {
        Volatile.Write(ref _holderThread, 0);
        Volatile.Write(ref _busy, 0);
        return Volatile.Read(ref _disposed) != 0 && ClaimRelease();
    }

    /// <summary>
    /// Marks the object disposed. True: the caller releases the memory now (nobody holds it any more). False: someone
    /// else releases it; this method has waited for that, unless the caller is the holder itself (it releases on exit).
    /// </summary>
    public bool BeginDispose()
    {
        bool first = Interlocked.Exchange(ref _disposed, 1) == 0;
        if (Volatile.Read(ref _busy) != 0 && Volatile.Read(ref _holderThread) == Environment.CurrentManagedThreadId)
        {
            return false;
        }
        if (first)
        {
            // A holder on another thread stops at its next batch (0 = it has not written its id yet: not this thread).
            var spin = new SpinWait();
            while (Volatile.Read(ref _busy) != 0)
            {
                spin.SpinOnce(sleep1Threshold: 20);
            }
            if (ClaimRelease())
            {
                return true;
            }
        }
        WaitForRelease();
        return false;
    }

    /// <summary>Called once the memory is freed; lets waiting disposers return.</summary>
    public void MarkReleased() => Volatile.Write(ref _released, 1);

    private bool ClaimRelease() => Interlocked.CompareExchange(ref _releaseClaimed, 1, 0) == 0;

    private void WaitForRelease()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _released) == 0)
        {
            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowDisposed(string operation) =>
        throw new ObjectDisposedException(owner, $"{owner}.{operation} was called after the {owner} was disposed.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBusy(string operation)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            ThrowDisposed(operation);
        }
        int holder = Volatile.Read(ref _holderThread);
        int me = Environment.CurrentManagedThreadId;
        string where = holder == me ? "on the same thread (from a callback of that call)" : $"on thread {(holder == 0 ? "?" : holder)}";
        throw new InvalidOperationException(
            $"{owner}.{operation} was called on thread {me} while {owner}.{_holderOperation} is running {where}. " +
            $"A {owner} is not thread-safe: use it from one thread at a time (one trainer per thread).");
    }
}
