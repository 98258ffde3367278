using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Attention.Kernels;

/// <summary>
/// The kernels' own worker threads: ProcessorCount − 1 background threads, started on first use and then kept, that
/// help the calling thread through a loop of work items. Unlike Parallel.For, a loop allocates nothing (the job
/// object of each work type is created once) and costs one semaphore release per helper to start. Items are handed
/// out one at a time through an atomic counter, so uneven items (causal blocks) balance themselves.
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

    /// <summary>
    /// Run items [0, items) of <paramref name="work"/> on the calling thread and up to threads − 1 helpers; with
    /// <paramref name="wakeSleeping"/> false, only the helpers still polling after an earlier loop are asked.
    /// </summary>
    public static void Run<TWork>(in TWork work, int items, int threads, bool wakeSleeping = true) where TWork : struct, IWorkItems
    {
        int helpers = Math.Min(Math.Min(threads, items) - 1, Workers.Length);
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int item = 0; item < items; item++) work.Run(item);
            return;
        }
        var job = Job<TWork>.Instance;
        ExceptionDispatchInfo? failure;
        try
        {
            job.Open(work, items);
            for (int i = 0; i < helpers; i++)
                if (wakeSleeping || Workers[i].IsPolling) Workers[i].Start(job);
            job.RunItems();
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

        /// <summary>Run items until none are left.</summary>
        protected abstract void Drain();

        /// <summary>Hand out no more items (one has failed).</summary>
        protected abstract void StopHandingOut();

        /// <summary>Run items until none are left; the first failure is kept for the caller and stops the loop.</summary>
        public void RunItems()
        {
            try { Drain(); }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                StopHandingOut();
            }
        }

        /// <summary>Let helpers join (after the work is in place).</summary>
        protected void OpenToHelpers() => Volatile.Write(ref _state, 0);

        /// <summary>A helper: join the loop if it is still open, run items, leave. A late helper does nothing.</summary>
        public void JoinIfOpen()
        {
            int state = Volatile.Read(ref _state);
            while (true)
            {
                if ((state & Closed) != 0) return;
                int seen = Interlocked.CompareExchange(ref _state, state + 1, state);
                if (seen == state) break;
                state = seen;
            }
            try { RunItems(); }
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

    /// <summary>One instance per work type, reused by every loop of that type.</summary>
    private sealed class Job<TWork> : JobBase where TWork : struct, IWorkItems
    {
        public static readonly Job<TWork> Instance = new();

        private TWork _work;
        private int _next, _count;

        public void Open(in TWork work, int count)
        {
            (_work, _next, _count) = (work, 0, count);
            OpenToHelpers();                           // a volatile write: a helper that joins sees the work above
        }

        public void Clear() => _work = default;

        protected override void StopHandingOut() => Volatile.Write(ref _next, int.MaxValue / 2);

        protected override void Drain()
        {
            for (int item = Interlocked.Increment(ref _next) - 1; item < _count; item = Interlocked.Increment(ref _next) - 1)
                _work.Run(item);
        }
    }

    /// <summary>A background thread that sleeps on its semaphore until handed a job.</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private JobBase? _job;
        private volatile bool _polling;

        /// <summary>Whether the thread is awake and polling for a loop (handing it one then costs no system call).</summary>
        public bool IsPolling => _polling;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Attention kernel worker {index + 1}" };
            thread.Start();
        }

        public void Start(JobBase job)
        {
            Volatile.Write(ref _job, job);
            _wake.Release();
        }

        private void Loop()
        {
            long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + spinTicks;
                bool started = false;
                _polling = true;
                while (!started && Stopwatch.GetTimestamp() < deadline)
                {
                    started = _wake.Wait(0);
                    if (!started) Thread.SpinWait(30);
                }
                _polling = false;
                if (!started) _wake.Wait();
                Volatile.Read(ref _job)!.JoinIfOpen();
            }
        }
    }
}
