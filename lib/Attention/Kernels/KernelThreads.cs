using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Attention.Kernels;

/// <summary>
/// The kernels' own worker threads: ProcessorCount − 1 background threads, started on first use and then kept, that
/// help the calling thread through a loop of work items. Unlike Parallel.For, a loop allocates nothing (the job
/// object of each work type is created once) and costs one write per polling helper to start. Items are handed
/// out one at a time through atomic counters, one per thread, so uneven items (causal blocks) balance themselves.
/// <para>
/// The caller never waits for a helper that has not started: a helper joins a loop only while it is open, and the
/// caller closes it once it has claimed the last item, then waits just for the helpers that joined (each finishing
/// the item it holds). Waking a sleeping thread costs tens of microseconds on a virtual machine, longer than a whole
/// small call, so a helper that wakes late simply finds the loop closed. A helper that finishes a loop keeps polling
/// for the next one for <see cref="SpinMicroseconds"/> before it sleeps: a layer runs several kernels back to back.
/// One loop runs at a time; a call that finds the workers busy (another thread's kernel) runs its loop alone.
/// </para>
/// </summary>
internal static class KernelThreads
{
    private static readonly Worker[] Workers = CreateWorkers(Environment.ProcessorCount - 1);
    private static int _busy;   // 1 while a loop owns the workers

    /// <summary>How long an idle helper polls for the next loop before sleeping on its semaphore.</summary>
    public const int SpinMicroseconds = 100;

    /// <summary>Helper threads available (the caller is the extra one).</summary>
    public static int HelperCount => Workers.Length;

    /// <summary>Items the helpers have run since the process started (the tests check that shared calls were shared).</summary>
    public static long ItemsRunByHelpers
    {
        get
        {
            long sum = 0;
            foreach (var worker in Workers) sum += worker.ItemsRun;
            return sum;
        }
    }

    /// <summary>
    /// Run items [0, items) of <paramref name="work"/> on the calling thread and up to threads − 1 helpers; with
    /// <paramref name="wakeSleeping"/> false, only the helpers still polling after an earlier loop are asked.
    /// Returns how many items the helpers ran.
    /// </summary>
    public static int Run<TWork>(in TWork work, int items, int threads, bool wakeSleeping = true) where TWork : struct, IWorkItems
    {
        int helpers = Math.Min(Math.Min(threads, items) - 1, Workers.Length);
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            WorkSplitter.RunHere(work, items);
            return 0;
        }
        int ranHere = 0;
        var job = Job<TWork>.Instance;
        ExceptionDispatchInfo? failure;
        try
        {
            job.Open(work, items, helpers + 1);
            for (int i = 0; i < helpers; i++)
                if (wakeSleeping || Workers[i].IsPolling) Workers[i].Start(job);
            ranHere = job.RunItems(0);
        }
        finally
        {
            // Even when an item failed: no helper may still be running an item once the work is cleared.
            job.CloseAndWaitForHelpers();
            failure = job.TakeFailure();
            job.Clear();
            Volatile.Write(ref _busy, 0);
        }
        failure?.Throw();
        return items - ranHere;
    }

    private static Worker[] CreateWorkers(int count)
    {
        var workers = new Worker[Math.Max(count, 0)];
        for (int i = 0; i < workers.Length; i++) workers[i] = new Worker(i);
        return workers;
    }

    /// <summary>A loop's items as seen by the helpers (type-erased, so one worker serves every work type).</summary>
    private abstract class JobBase
    {
        private const int Closed = 1 << 30;
        private int _state = Closed;   // Closed bit | number of helpers inside the loop
        private ExceptionDispatchInfo? _failure;

        private int _joined;           // helpers that have joined this loop (each takes the next share)

        /// <summary>Run the items of share <paramref name="share"/>, then whatever is left of the others; returns how many it ran.</summary>
        protected abstract int Drain(int share);

        /// <summary>Hand out no more items (one has failed).</summary>
        protected abstract void StopHandingOut();

        /// <summary>Run items until none are left; the first failure is kept for the caller and stops the loop. Returns the items run.</summary>
        public int RunItems(int share)
        {
            try { return Drain(share); }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                StopHandingOut();
                return 0;
            }
        }

        /// <summary>Let helpers join (after the work is in place).</summary>
        protected void OpenToHelpers()
        {
            _joined = 0;
            Volatile.Write(ref _state, 0);
        }

        /// <summary>A helper: join the loop if it is still open, run items, leave; returns the items it ran. A late helper does nothing.</summary>
        public int JoinIfOpen()
        {
            int state = Volatile.Read(ref _state);
            while (true)
            {
                if ((state & Closed) != 0) return 0;
                int seen = Interlocked.CompareExchange(ref _state, state + 1, state);
                if (seen == state) break;
                state = seen;
            }
            try { return RunItems(Interlocked.Increment(ref _joined)); }
            finally { Interlocked.Decrement(ref _state); }
        }

        /// <summary>The caller, with every item claimed: no helper may join from now on; wait for those inside.</summary>
        public void CloseAndWaitForHelpers()
        {
            Interlocked.Or(ref _state, Closed);
            var spinner = new SpinWait();
            while (Volatile.Read(ref _state) != Closed) spinner.SpinOnce(sleep1Threshold: -1);
        }

        /// <summary>The loop's first failure, if any, and forget it (the next loop starts clean).</summary>
        public ExceptionDispatchInfo? TakeFailure() => Interlocked.Exchange(ref _failure, null);
    }

    /// <summary>
    /// One instance per work type, reused by every loop of that type. The items are dealt into one share per thread
    /// (share s: items s, s + T, s + 2T, … for T threads; the caller's is share 0), each with its own counter on its
    /// own cache line. A thread claims from its share, then from the others' (a late or slow thread's items are not
    /// left waiting for it). Claiming from a counter only one thread uses keeps that cache line on its core; with one
    /// shared counter every claim fetched the line from the other core, a few hundred nanoseconds apiece on the course
    /// VM when its vCPUs sit far apart. And a thread gets the same items call after call, so it finds the output rows
    /// it writes (and the key/value heads it packs) still in its own cache.
    /// </summary>
    private sealed class Job<TWork> : JobBase where TWork : struct, IWorkItems
    {
        public static readonly Job<TWork> Instance = new();

        // Items claimed from each share: share s counts at [(s + 1)·Spacing], one 64-byte line apart, none on the array's first line.
        private const int Spacing = 16;
        private readonly int[] _claimed = new int[(Workers.Length + 3) * Spacing];
        private TWork _work;
        private int _count, _shares;

        public void Open(in TWork work, int count, int threads)
        {
            (_work, _count, _shares) = (work, count, threads);
            for (int share = 0; share < threads; share++) _claimed[(share + 1) * Spacing] = 0;
            OpenToHelpers();                           // a volatile write: a helper that joins sees the work above
        }

        public void Clear() => _work = default;

        protected override void StopHandingOut()
        {
            for (int share = 0; share < _shares; share++) Volatile.Write(ref _claimed[(share + 1) * Spacing], int.MaxValue / 2);
        }

        protected override int Drain(int share)
        {
            int shares = _shares, ran = 0;
            share = Math.Min(share, shares - 1);       // a stray helper from an earlier loop shares the last share
            for (int visited = 0; visited < shares; visited++, share = share + 1 == shares ? 0 : share + 1)
                for (int item = Claim(share, shares); item < _count; item = Claim(share, shares), ran++)
                    _work.Run(item, item + shares < _count ? item + shares : -1);
            return ran;
        }

        /// <summary>The next item of the share (past the last item when the share is used up).</summary>
        private int Claim(int share, int shares)
        {
            long claimed = Interlocked.Increment(ref _claimed[(share + 1) * Spacing]) - 1;
            return (int)Math.Min(share + claimed * shares, int.MaxValue);
        }
    }

    /// <summary>
    /// A background thread that is handed a job through one field. While it polls (for <see cref="SpinMicroseconds"/>
    /// after its last job) the hand-over is a single write it sees on its next read; a sleeping thread is also woken
    /// through its semaphore. (Polling the semaphore itself took its lock on every poll, and the caller's release then
    /// had to take that lock back from the worker's core: on the course VM, with its two vCPUs far apart, that was a
    /// measurable part of a 4 µs call.)
    /// </summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private JobBase? _job;       // set by the caller, taken by the worker
        private int _sleeping;       // 1 from just before the worker may block on _wake until it is running again
        private long _itemsRun;      // written by the worker thread only

        /// <summary>Items this worker has run.</summary>
        public long ItemsRun => Volatile.Read(ref _itemsRun);

        /// <summary>Whether the thread is awake and polling for a loop (handing it one then costs no system call).</summary>
        public bool IsPolling => Volatile.Read(ref _sleeping) == 0;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Attention kernel worker {index + 1}" };
            thread.Start();
        }

        public void Start(JobBase job)
        {
            // Publish the job, then look whether the worker may be asleep; the worker announces sleep, then looks for a
            // job. Full fences on both sides: at least one of the two sees the other's write (a spare release only
            // makes a later wait return early, which the loop tolerates).
            Interlocked.Exchange(ref _job, job);
            if (Volatile.Read(ref _sleeping) == 1) _wake.Release();
        }

        private void Loop()
        {
            long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
            while (true)
            {
                JobBase? job = null;
                long deadline = Stopwatch.GetTimestamp() + spinTicks;
                while ((job = Volatile.Read(ref _job)) == null && Stopwatch.GetTimestamp() < deadline) Thread.SpinWait(30);
                if (job == null)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _job) == null) _wake.Wait();
                    Volatile.Write(ref _sleeping, 0);
                    job = Volatile.Read(ref _job);
                    if (job == null) continue;                // a spare release from an earlier race
                }
                if (Interlocked.CompareExchange(ref _job, null, job) != job) continue;   // replaced meanwhile: take the newer one
                Volatile.Write(ref _itemsRun, _itemsRun + job.JoinIfOpen());
            }
        }
    }
}
