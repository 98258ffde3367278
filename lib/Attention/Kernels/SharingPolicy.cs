using System.Runtime.CompilerServices;

namespace Attention.Kernels;

/// <summary>
/// Whether a small call (<see cref="WorkSplitter.SharingMinimumFlops"/> to <see cref="WorkSplitter.WakingMinimumFlops"/>)
/// is shared with a helper thread or run on the calling thread alone, learned from how long such calls take each way.
/// <para>
/// Sharing a call of a few microseconds pays only while handing work to the other core is cheap, and on a virtual
/// machine that changes under the program: the course VM's two vCPUs are sometimes placed close (a cache line goes
/// there and back in ~115 ns) and sometimes far apart (~450 ns), for seconds at a time. Close, a 4 µs call takes
/// 2.9–3.4 µs on two threads; far apart, 5.4 µs, slower than on one. So the policy keeps, per size class (calls
/// within a factor of 2 of arithmetic), a running average of the time per flop each way, takes the faster way, and
/// now and then tries the other: one call alone, or a short burst shared (its first call wakes the helper, and is not
/// counted), so it notices when the placement changes back.
/// </para>
/// One instance per work type (<see cref="For{TWork}"/>): the layer's projections and the attention kernel run at
/// different speeds. Several calling threads may update an instance at once; a lost update only delays learning.
/// </summary>
internal sealed class SharingPolicy
{
    /// <summary>Size classes: [SharingMinimumFlops · 2^c, SharingMinimumFlops · 2^(c + 1)).</summary>
    public const int Classes = 5;

    /// <summary>Every this many calls of a class try the way not taken.</summary>
    public const int TryOtherEvery = 256;

    /// <summary>Calls of a shared trial: the first wakes the helper and is not counted.</summary>
    public const int TrialCalls = 5;

    /// <summary>Weight of a new measurement in the running averages.</summary>
    private const double NewWeight = 1.0 / 8;

    private readonly double[] _sharedTime = new double[Classes], _aloneTime = new double[Classes];   // ns per flop; 0 = not measured yet
    private readonly int[] _calls = new int[Classes], _trialLeft = new int[Classes];

    /// <summary>The policy of work type <typeparamref name="TWork"/>.</summary>
    public static SharingPolicy For<TWork>() where TWork : struct, IWorkItems => PerType<TWork>.Instance;

    /// <summary>What the next call of a class does.</summary>
    public readonly record struct Choice(bool Share, bool WakeHelper, bool Measure);

    /// <summary>The size class of a call of <paramref name="flops"/> (within the range the policy covers).</summary>
    public static int ClassOf(double flops) =>
        Math.Clamp((int)Math.Floor(Math.Log2(flops / WorkSplitter.SharingMinimumFlops)), 0, Classes - 1);

    public Choice Choose(int sizeClass)
    {
        if (_trialLeft[sizeClass] > 0)
        {
            int left = --_trialLeft[sizeClass];
            return new Choice(Share: true, WakeHelper: false, Measure: true);
        }
        bool sharedFaster = PrefersSharing(sizeClass);
        if (++_calls[sizeClass] % TryOtherEvery != 0) return new Choice(sharedFaster, WakeHelper: false, Measure: true);
        if (sharedFaster) return new Choice(Share: false, WakeHelper: false, Measure: true);   // try one call alone
        _trialLeft[sizeClass] = TrialCalls - 1;                                                 // try a burst shared
        return new Choice(Share: true, WakeHelper: true, Measure: false);
    }

    /// <summary>Whether sharing is the faster way for the class, as measured so far (yes until it has been measured slower).</summary>
    public bool PrefersSharing(int sizeClass)
    {
        double shared = _sharedTime[sizeClass], alone = _aloneTime[sizeClass];
        return shared == 0 || alone == 0 || shared <= alone;
    }

    /// <summary>A measured call: <paramref name="shared"/> when a helper ran some of its items.</summary>
    public void Record(int sizeClass, bool shared, double nanoseconds, double flops)
    {
        double[] times = shared ? _sharedTime : _aloneTime;
        double sample = nanoseconds / flops, average = times[sizeClass];
        // A call interrupted by the system would otherwise pull the average far: a sample counts at most 4 × the average.
        times[sizeClass] = average == 0 ? sample : average + NewWeight * (Math.Min(sample, 4 * average) - average);
    }

    private static class PerType<TWork> where TWork : struct, IWorkItems
    {
        public static readonly SharingPolicy Instance = new();
    }
}
