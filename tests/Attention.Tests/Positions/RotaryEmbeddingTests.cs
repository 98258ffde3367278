using Attention.Tests.TestSupport;

namespace Attention.Tests.Positions;

public class RotaryEmbeddingTests
{
    private const double U = 1.0 / (1 << 24);   // float32 unit roundoff

    private static float[] Rotated(RotaryEmbedding rope, float[] vector, int position)
    {
        float[] copy = (float[])vector.Clone();
        rope.Apply(copy, heads: 1, length: 1, positionOffset: position);
        return copy;
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
    private static double Norm(float[] a) => Math.Sqrt(Dot(a, a));

    [Fact]
    public void Matches_the_rotation_formula_in_float64_also_at_large_positions()
    {
        var rope = new RotaryEmbedding(headDim: 8);
        float[] q = TestData.Uniform(8, seed: 1);
        foreach (int position in new[] { 0, 1, 7, 1000, 100_000 })
        {
            float[] actual = Rotated(rope, q, position);
            for (int p = 0; p < 4; p++)
            {
                double angle = position * Math.Exp(-2.0 * p / 8 * Math.Log(10000));   // θ_p = 10000^(−2p/d)
                double a = q[2 * p], b = q[2 * p + 1];
                double x = a * Math.Cos(angle) - b * Math.Sin(angle), y = a * Math.Sin(angle) + b * Math.Cos(angle);
                // float32 cos and sin (u each), two products and a sum (u each): ≤ 3u·(|a| + |b|), plus the angle's float64 error.
                double tolerance = 3 * U * (Math.Abs(a) + Math.Abs(b)) * 1.0001 + 1e-15 * position;
                Assert.True(Math.Abs(actual[2 * p] - x) <= tolerance, $"pair {p} at position {position}: x {actual[2 * p]:R} vs {x:R}");
                Assert.True(Math.Abs(actual[2 * p + 1] - y) <= tolerance, $"pair {p} at position {position}: y {actual[2 * p + 1]:R} vs {y:R}");
            }
        }
    }

    /// <summary>
    /// The base sets every pair's angle per position (θ_p = base^(−2p/d)), not only the default 10000: long-context
    /// models raise it (e.g. 500000), and a layer's oracle reads <see cref="RotaryEmbedding.Base"/> back.
    /// </summary>
    [Theory]
    [InlineData(500.0)]
    [InlineData(500_000.0)]
    public void Another_base_changes_the_angles_as_the_formula_says(double @base)
    {
        var rope = new RotaryEmbedding(headDim: 6, @base);
        Assert.Equal(@base, rope.Base);
        float[] q = TestData.Uniform(6, seed: 6);
        foreach (int position in new[] { 1, 3, 250 })
        {
            float[] actual = Rotated(rope, q, position);
            for (int p = 0; p < 3; p++)
            {
                double theta = Math.Exp(-2.0 * p / 6 * Math.Log(@base));   // base^(−2p/d), written independently of Math.Pow
                Assert.True(Math.Abs(rope.Frequency(p) - theta) <= 1e-15 * theta, $"θ_{p} = {rope.Frequency(p):R}, expected {theta:R}");
                double angle = position * theta;
                double a = q[2 * p], b = q[2 * p + 1];
                double x = a * Math.Cos(angle) - b * Math.Sin(angle), y = a * Math.Sin(angle) + b * Math.Cos(angle);
                // As in the base-10000 test: float32 cos, sin, two products and a sum, plus the angle's float64 error.
                double tolerance = 3 * U * (Math.Abs(a) + Math.Abs(b)) * 1.0001 + 1e-15 * position;
                Assert.True(Math.Abs(actual[2 * p] - x) <= tolerance, $"base {@base}, pair {p} at position {position}: x {actual[2 * p]:R} vs {x:R}");
                Assert.True(Math.Abs(actual[2 * p + 1] - y) <= tolerance, $"base {@base}, pair {p} at position {position}: y {actual[2 * p + 1]:R} vs {y:R}");
            }
        }
    }

    [Fact]
    public void Scores_depend_only_on_the_distance_between_query_and_key()
    {
        var rope = new RotaryEmbedding(headDim: 16);
        float[] q = TestData.Uniform(16, seed: 2), k = TestData.Uniform(16, seed: 3);
        // Each rotated vector is within ≈ 4.3u·|v| of exact (3u·(|a|+|b|) per pair), so each dot within ≈ 9u·|q||k|; two of them differ by twice that.
        double tolerance = 18 * U * Norm(q) * Norm(k);
        foreach ((int m, int n) in new[] { (5, 2), (3, 9), (0, 0), (40, 40) })
        {
            double score = Dot(Rotated(rope, q, m), Rotated(rope, k, n));
            foreach (int shift in new[] { 1, 17, 500 })
            {
                double shifted = Dot(Rotated(rope, q, m + shift), Rotated(rope, k, n + shift));
                Assert.True(Math.Abs(score - shifted) <= tolerance, $"(m={m}, n={n}) shifted by {shift}: {score:R} vs {shifted:R}");
            }
        }
        // ... and do depend on the distance: RoPE is not the identity.
        Assert.True(Math.Abs(Dot(Rotated(rope, q, 5), Rotated(rope, k, 2)) - Dot(Rotated(rope, q, 2), Rotated(rope, k, 2))) > 1e3 * tolerance);
    }

    [Fact]
    public void Rotation_keeps_the_length_of_every_pair()
    {
        var rope = new RotaryEmbedding(headDim: 6, @base: 500);
        float[] v = TestData.Uniform(6, seed: 4);
        foreach (int position in new[] { 1, 33, 12345 })
        {
            float[] r = Rotated(rope, v, position);
            for (int p = 0; p < 3; p++)
            {
                double before = Math.Sqrt((double)v[2 * p] * v[2 * p] + (double)v[2 * p + 1] * v[2 * p + 1]);
                double after = Math.Sqrt((double)r[2 * p] * r[2 * p] + (double)r[2 * p + 1] * r[2 * p + 1]);
                Assert.True(Math.Abs(before - after) <= 6 * U * before, $"pair {p} at position {position}: {before:R} → {after:R}");
            }
        }
    }

    [Fact]
    public void Offset_continues_the_positions_and_every_head_turns_alike()
    {
        var rope = new RotaryEmbedding(headDim: 4);
        float[] sequence = TestData.Uniform(2 * 10 * 4, seed: 5);   // [heads 2, 10, 4]
        float[] whole = (float[])sequence.Clone();
        rope.Apply(whole, heads: 2, length: 10);
        for (int h = 0; h < 2; h++)
        {
            float[] tail = sequence.AsSpan((h * 10 + 6) * 4, 4 * 4).ToArray();   // rows 6..9 of head h
            rope.Apply(tail, heads: 1, length: 4, positionOffset: 6);
            Assert.Equal(whole.AsSpan((h * 10 + 6) * 4, 4 * 4).ToArray(), tail);
        }
    }

    [Fact]
    public void Odd_head_width_and_wrong_lengths_are_named()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new RotaryEmbedding(5));
        Assert.Equal("headDim", error.ParamName);
        Assert.Contains("headDim=5", error.Message);
        var lengthError = Assert.ThrowsAny<ArgumentException>(() => new RotaryEmbedding(4).Apply(new float[7], 1, 2));
        Assert.Equal("x", lengthError.ParamName);
        Assert.Contains("[1, 2, 4]", lengthError.Message);
        Assert.Equal("positionOffset", Assert.ThrowsAny<ArgumentException>(() => new RotaryEmbedding(4).Apply(new float[4], 1, 1, -1)).ParamName);
    }
}
