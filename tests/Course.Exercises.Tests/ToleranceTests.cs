using Attention;
using Course.Exercises;
using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>
/// The float32 bounds are sound: real float32 code (the library on every path, MathNet products, plain loops in
/// several orders) stays within them on many random shapes, magnitudes and masks, so a correct learner cannot fail
/// a check by rounding. (That they are tight is shown by AllChecksTests.ResultOffByOnePartIn10000Fails.)
/// </summary>
public class ToleranceTests
{
    private static void AssertWithin(Tensor expected, IReadOnlyList<float> got, string what)
    {
        Assert.Equal(expected.Count, got.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Comparison.Close(expected.Values[i], expected.Errors[i], got[i]),
                $"{what}: element {i} is {got[i]}, reference {expected.Values[i]} ± {Comparison.Tolerance(expected.Errors[i])} (off by {Math.Abs(got[i] - expected.Values[i]):e2})");
    }

    private static float[] Flat(Matrix<float> m) => Attend.ToRowMajor(m);

    [Fact]
    public void MatrixProductsOfEveryInnerLength()
    {
        for (int n = 1; n <= 257; n += n < 20 ? 1 : 17)
        {
            var inputs = new Inputs(1000 + n);
            Matrix<float> a = inputs.Matrix(3, n, 10), b = inputs.Matrix(n, 4, 0.1);
            Tensor expected = TensorMath.MatMul(Tensor.From(a), Tensor.From(b));
            AssertWithin(expected, Flat(a * b), $"MathNet n={n}");
            AssertWithin(expected, Flat(Loop(a, b, reversed: false)), $"loop n={n}");
            AssertWithin(expected, Flat(Loop(a, b, reversed: true)), $"reversed loop n={n}");
        }
    }

    private static Matrix<float> Loop(Matrix<float> a, Matrix<float> b, bool reversed) =>
        Matrix<float>.Build.Dense(a.RowCount, b.ColumnCount, (i, j) =>
        {
            float sum = 0;
            for (int t = 0; t < a.ColumnCount; t++)
            {
                int u = reversed ? a.ColumnCount - 1 - t : t;
                sum = MathF.FusedMultiplyAdd(a[i, u], b[u, j], sum);
            }
            return sum;
        });

    [Fact]
    public void SoftmaxOfManyMagnitudesAndTemperatures()
    {
        int seed = 0;
        foreach (double magnitude in new[] { 0.1, 1, 10, 100, 1000, 1e30 })
            foreach (float temperature in new[] { 1f, 0.3f, 7f })
                for (int n = 1; n <= 257; n += 32)
                {
                    float[] x = new Inputs(seed++).Vector(n, magnitude);
                    if (magnitude > 1e6 && temperature != 1) continue;   // x / T is itself rounded at 1e30 · u
                    Tensor expected = SoftmaxMath.Vector(TensorMath.Scale(Tensor.From(x), 1 / (double)temperature));
                    var library = new float[n];
                    Softmax.Forward(x, library, temperature);
                    AssertWithin(expected, library, $"library softmax |x|~{magnitude} T={temperature} n={n}");
                    AssertWithin(expected, Solutions.SoftmaxWithTemperature(x, temperature), $"solution softmax |x|~{magnitude} T={temperature} n={n}");
                }
    }

    public static TheoryData<KernelPath> Paths => new(Enum.GetValues<KernelPath>());

    [Theory]
    [MemberData(nameof(Paths))]
    public void AttentionOfManyShapesMasksAndScales(KernelPath path)
    {
        var shapes = new Inputs(7);
        for (int trial = 0; trial < 60; trial++)
        {
            int nq = 1 + shapes.Next(20), nk = 1 + shapes.Next(40), dk = 1 + shapes.Next(80), dv = 1 + shapes.Next(10);
            double scale = trial % 3 == 2 ? 30 : 1;
            bool masked = trial % 2 == 1;
            var inputs = new Inputs(2000 + trial);
            Matrix<float> q = inputs.Matrix(nq, dk, scale), k = inputs.Matrix(nk, dk), v = inputs.Matrix(nk, dv);
            bool[,]? allowed = masked ? inputs.Mask(nq, nk) : null;
            if (masked && trial % 4 == 1) for (int j = 0; j < nk; j++) allowed![0, j] = false;   // a fully masked row

            var (output, weights) = AttentionMath.Forward(Tensor.From(q), Tensor.From(k), Tensor.From(v), AttentionMath.DefaultScale(dk), allowed);
            var mask = allowed is null ? null : new AttentionMask { Allowed = allowed.Cast<bool>().ToArray() };
            AttentionResult r = Attend.ScaledDotProduct(q, k, v, mask, path: path);
            string what = $"{path} trial {trial}: n_q={nq} n_k={nk} d_k={dk} d_v={dv} scale={scale} masked={masked}";
            AssertWithin(output, Flat(r.Output), what + " output");
            AssertWithin(weights, Flat(r.Weights), what + " weights");
            if (path == KernelPath.Auto)
            {
                Matrix<float> solution = allowed is null ? Solutions.Attention(q, k, v) : Solutions.MaskedAttention(q, k, v, allowed);
                AssertWithin(output, Flat(solution), what + " solution");
            }
        }
    }

    [Fact]
    public void HugeScoresKeepATightBound()
    {
        // Scores near 1e29 are only known to ~1e22 in float32, yet the dominant weight is exactly 1 and the others 0:
        // a shift shared by the logits cancels in the softmax, and the bound says so.
        var inputs = new Inputs(5);
        Matrix<float> q = inputs.Matrix(2, 4, 1e29), k = inputs.Matrix(5, 4), v = inputs.Matrix(5, 2);
        var (output, weights) = AttentionMath.Forward(Tensor.From(q), Tensor.From(k), Tensor.From(v), AttentionMath.DefaultScale(4));
        Assert.True(weights.Errors.Max() < 1e-6, $"weights bound {weights.Errors.Max()}");
        Assert.True(output.Errors.Max() < 1e-5, $"output bound {output.Errors.Max()}");
        Assert.All(weights.Values, w => Assert.True(w == 0 || w == 1));
    }

    [Fact]
    public void LayerNormOfRowsWithLargeMeans()
    {
        for (int trial = 0; trial < 40; trial++)
        {
            var inputs = new Inputs(3000 + trial);
            int d = 1 + inputs.Next(128);
            double offset = trial % 4 * 400, spread = trial % 3 == 0 ? 1e-3 : 1;
            var x = Matrix<float>.Build.Dense(3, d, (_, _) => (float)(offset + inputs.Normal(spread)));
            float[] gamma = inputs.Vector(d), beta = inputs.Vector(d);
            Tensor expected = LayerNormCheck.Exercise.Reference(new LayerNormCheck.Input(x, gamma, beta, 1e-5f))[0];
            AssertWithin(expected, Flat(Solutions.LayerNorm(x, gamma, beta, 1e-5f)), $"trial {trial} d={d} offset={offset} spread={spread}");
        }
    }

    [Fact]
    public void PositionsFarOut()
    {
        foreach (int dim in new[] { 2, 16, 64 })
        {
            var input = new SinusoidalEncodingCheck.Input(1000, dim);
            Tensor expected = SinusoidalEncodingCheck.Exercise.Reference(input)[0];
            AssertWithin(expected, PositionalEncoding.Sinusoidal(1000, dim), $"library PE dim={dim}");
            AssertWithin(expected, Flat(Solutions.SinusoidalEncoding(1000, dim)), $"solution PE dim={dim}");
        }
        foreach (int position in new[] { 0, 1, 17, 999, 4095 })
        {
            float[] x = new Inputs(position).Vector(64, 3);
            Tensor expected = RopeCheck.Exercise.Reference(new RopeCheck.Input(x, position))[0];
            float[] library = (float[])x.Clone();
            new RotaryEmbedding(64).Apply(library, 1, 1, position);
            AssertWithin(expected, library, $"library RoPE p={position}");
            AssertWithin(expected, Solutions.Rope(x, position), $"solution RoPE p={position}");
        }
    }

    [Fact]
    public void OnlineSoftmaxOfManyBlockings()
    {
        for (int trial = 0; trial < 40; trial++)
        {
            var inputs = new Inputs(4000 + trial);
            float[][] blocks = Enumerable.Range(0, 1 + inputs.Next(12))
                .Select(_ => inputs.Vector(inputs.Next(20), trial % 2 == 0 ? 3 : 300)).ToArray();
            if (blocks.All(b => b.Length == 0)) continue;
            Tensor[] expected = OnlineSoftmaxCheck.Statistics(blocks);
            var (max, sum) = Solutions.OnlineSoftmax(blocks);
            AssertWithin(expected[0], [max], $"trial {trial} max");
            AssertWithin(expected[1], [sum], $"trial {trial} sum");
        }
    }
}
