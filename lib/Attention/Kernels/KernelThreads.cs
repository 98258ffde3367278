using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Attention.Kernels;

/// <summary>
/// The kernels' own worker threads: ProcessorCount − 1 background threads, started on first use and then kept, that
/// help the calling thread through a loop of work items. Unlike Parallel.For, a loop allocates nothing (the job
/// object of each work type is created once) and costs one semaphore release per helper to start. Items are handed
/// out one at a time through an atomic counter, so uneven items (causal blocks) balance themselves. A helper that
/// finishes a loop keeps polling for the next one for <see cref="SpinMicroseconds"/> before it sleeps: a layer runs
/// several kernels back to back, and waking a sleeping thread costs tens of microseconds on a virtual machine.
/// One loop runs at a time; a call that finds the workers busy (another thread's kernel) runs its loop alone.
/// </summary>
internal static class KernelThreads
{
    private static readonly Worker[] Workers = CreateWorkers(Environment.ProcessorCount - 1);
    private static readonly CountdownEvent Finished = new(0);
    private static int _busy;   // 1 while a loop owns the workers

    /// <summary>How long an idle helper polls for the next loop before sleeping on its semaphore.</summary>
    public const int SpinMicroseconds = 100;

    /// <summary>Helper threads available (the caller is the extra one).</summary>
    public static int HelperCount => Workers.Length;

    /// <summary>Run items [0, items) of <paramref name="work"/> on the calling thread and up to threads − 1 helpers.</summary>
    public static void Run<TWork>(in TWork work, int items, int threads) where TWork : struct, IWorkItems
    {
        int helpers = Math.Min(Math.Min(threads, items) - 1, Workers.Length);
        if (helpers <= 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int item = 0; item < items; item++) work.Run(item);
            return;
        }
        var job = Job<TWork>.Instance;
        try
        {
            job.Start(work, items);
            Finished.Reset(helpers);
            for (int i = 0; i < helpers; i++) Workers[i].Start(job);
            job.Drain();
            Finished.Wait();
            job.ThrowIfFailed();
        }
        finally
        {
            job.Clear();
            Volatile.Write(ref _busy, 0);
        }
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
        private ExceptionDispatchInfo? _failure;

        /// <summary>Run items until none are left.</summary>
        public abstract void Drain();

        public void DrainCatching()
        {
            try { Drain(); }
            catch (Exception e) { _failure ??= ExceptionDispatchInfo.Capture(e); }
        }

        public void ThrowIfFailed()
        {
            var failure = _failure;
            _failure = null;
            failure?.Throw();
        }
    }

    /// <summary>One instance per work type, reused by every loop of that type.</summary>
    private sealed class Job<TWork> : JobBase where TWork : struct, IWorkItems
    {
        public static readonly Job<TWork> Instance = new();

        private TWork _work;
        private int _next, _count;

        public void Start(in TWork work, int count) => (_work, _next, _count) = (work, 0, count);

        public void Clear() => _work = default;

        public override void Drain()
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
                while (!started && Stopwatch.GetTimestamp() < deadline)
                {
                    started = _wake.Wait(0);
                    if (!started) Thread.SpinWait(30);
                }
                if (!started) _wake.Wait();
                Volatile.Read(ref _job)!.DrainCatching();
                Finished.Signal();
            }
        }
    }
}
