namespace Course.Exercises;

/// <summary>
/// The course's exercise checks, one method per exercise: <c>Check.Softmax(MySoftmax)</c>.
/// <para>
/// Each check runs your function and a float64 reference on the same seeded inputs, ordinary ones first and then the
/// edge cases (large logits, n_q ≠ n_k, d_k ≠ d_v, a single token, masked rows), and stops at the first case that
/// differs. The <see cref="CheckResult"/> says precisely what differs (the case, the element, expected versus yours,
/// how many elements and by how much), names the typical mistake it recognises (a missing or wrong scale, softmax over
/// the wrong axis, an inverted mask, overflow on large logits, …) and gives a hint. A check never throws for a
/// learner's mistake: exceptions from your code are reported in the result. Call <see cref="CheckResult.ShouldPass"/>
/// to turn a failure into an exception (solution cells do, so that a broken solution fails the run).
/// </para>
/// <para>
/// Conventions: matrices are MathNet <c>Matrix&lt;float&gt;</c> (rows are tokens), vectors <c>float[]</c>, masks
/// <c>bool[,]</c> of shape [n_q, n_k] with <b>true = may attend</b> (as in the course library's
/// <c>AttentionMask.Allowed</c>). A query row with no allowed key has zero weights and a zero output (the library's
/// convention). The attention scale is 1/√d_k.
/// </para>
/// <para>
/// Tolerances: every reference value carries a bound on the rounding error of a correct float32 computation of the same
/// formula (Higham-style: γ(n)·Σ|a·b| for an n-term dot product, exp's relative error through the softmax, and so on);
/// your value must be within twice that bound (plus 1e-30 for float32 underflow). Any summation order, FMA or float64
/// intermediate passes; a wrong formula does not.
/// </para>
/// </summary>
public static partial class Check
{
}
