using Attention.Kernels;

namespace Attention.Tests.Kernels;

/// <summary>
/// The choice between sharing a small call with a helper and running it alone, fed with made-up timings: it follows
/// whichever way has been faster, keeps trying the other, and turns round when the timings do (as when the VM moves
/// its vCPUs closer or further apart).
/// </summary>
public class SharingPolicyTests
{
    private const double Flops = 4e5;
    private static readonly int Class = SharingPolicy.ClassOf(Flops);

    /// <summary>Calls through the policy with a fixed time per call each way; returns the share of calls that were shared.</summary>
    private static double Drive(SharingPolicy policy, int calls, double sharedNs, double aloneNs, Action<SharingPolicy.Choice>? watch = null)
    {
        int shared = 0;
        for (int call = 0; call < calls; call++)
        {
            var choice = policy.Choose(Class);
            watch?.Invoke(choice);
            if (choice.Share) shared++;
            if (choice.Measure) policy.Record(Class, choice.Share, choice.Share ? sharedNs : aloneNs, Flops);
        }
        return (double)shared / calls;
    }

    [Fact]
    public void SizeClassesDoubleFromTheSharingMinimum()
    {
        Assert.Equal(0, SharingPolicy.ClassOf(WorkSplitter.SharingMinimumFlops));
        Assert.Equal(0, SharingPolicy.ClassOf(1.99 * WorkSplitter.SharingMinimumFlops));
        Assert.Equal(1, SharingPolicy.ClassOf(2 * WorkSplitter.SharingMinimumFlops));
        Assert.Equal(4, SharingPolicy.ClassOf(16 * WorkSplitter.SharingMinimumFlops));
        Assert.Equal(SharingPolicy.Classes - 1, SharingPolicy.ClassOf(WorkSplitter.WakingMinimumFlops * 0.99));
    }

    [Fact]
    public void SharesUntilSharingIsMeasuredSlower()
    {
        var policy = new SharingPolicy();
        Assert.True(policy.Choose(Class).Share);
        Assert.True(policy.PrefersSharing(Class));
    }

    [Fact]
    public void KeepsSharingWhileItIsFasterAndTriesOneCallAloneNowAndThen()
    {
        var policy = new SharingPolicy();
        int alone = 0;
        double shared = Drive(policy, 100 * SharingPolicy.TryOtherEvery, sharedNs: 3000, aloneNs: 4700, choice => { if (!choice.Share) alone++; });
        Assert.True(policy.PrefersSharing(Class));
        Assert.Equal(100, alone);                                  // one call in TryOtherEvery
        Assert.True(shared > 0.99, $"shared {shared:P1} of the calls");
    }

    [Fact]
    public void RunsAloneOnceSharingIsSlowerAndStillTriesABurstShared()
    {
        var policy = new SharingPolicy();
        Drive(policy, 2 * SharingPolicy.TryOtherEvery, sharedNs: 5400, aloneNs: 4700);
        Assert.False(policy.PrefersSharing(Class));

        var sharedCalls = new List<SharingPolicy.Choice>();
        int calls = 100 * SharingPolicy.TryOtherEvery;
        double shared = Drive(policy, calls, sharedNs: 5400, aloneNs: 4700, choice => { if (choice.Share) sharedCalls.Add(choice); });
        Assert.False(policy.PrefersSharing(Class));
        int bursts = sharedCalls.Count(choice => choice.WakeHelper);                  // each burst's first call wakes the helper ...
        Assert.InRange(bursts, calls / (SharingPolicy.TryOtherEvery + SharingPolicy.TrialCalls), calls / SharingPolicy.TryOtherEvery);
        Assert.Equal(bursts, sharedCalls.Count(choice => !choice.Measure));           // ... and is not counted
        // Whole bursts of TrialCalls, give or take one cut by the start or the end of the run.
        Assert.InRange(sharedCalls.Count, SharingPolicy.TrialCalls * bursts - (SharingPolicy.TrialCalls - 1), SharingPolicy.TrialCalls * bursts + (SharingPolicy.TrialCalls - 1));
        Assert.True(shared < 0.03, $"shared {shared:P1} of the calls");
    }

    [Fact]
    public void TurnsRoundWhenTheTimingsDo()
    {
        var policy = new SharingPolicy();
        Drive(policy, 10 * SharingPolicy.TryOtherEvery, sharedNs: 3000, aloneNs: 4700);
        Assert.True(policy.PrefersSharing(Class));
        Drive(policy, 10 * SharingPolicy.TryOtherEvery, sharedNs: 6000, aloneNs: 4700);   // the vCPUs moved apart
        Assert.False(policy.PrefersSharing(Class));
        Drive(policy, 10 * SharingPolicy.TryOtherEvery, sharedNs: 3000, aloneNs: 4700);   // and back
        Assert.True(policy.PrefersSharing(Class));
    }

    [Fact]
    public void OneInterruptedCallDoesNotTurnItRound()
    {
        var policy = new SharingPolicy();
        Drive(policy, 3 * SharingPolicy.TryOtherEvery, sharedNs: 3000, aloneNs: 4700);
        policy.Record(Class, shared: true, nanoseconds: 1e6, Flops);                       // a call the system interrupted
        Assert.True(policy.PrefersSharing(Class));
    }
}
