using Attention.Tests.TestSupport;
using MathNet.Numerics.LinearAlgebra;

namespace Attention.Tests.Layers;

public class AttendTests
{
    [Fact]
    public void Row_major_conversion_keeps_every_element_in_place_for_non_square_matrices()
    {
        // [[1, 2, 3], [4, 5, 6]]: MathNet stores it column by column (1, 4, 2, 5, 3, 6).
        var m = Matrix<float>.Build.DenseOfArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([1f, 2, 3, 4, 5, 6], Attend.ToRowMajor(m));
        var back = Attend.FromRowMajor([1f, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal((2, 3), (back.RowCount, back.ColumnCount));
        Assert.Equal(m, back);
        var tall = Attend.FromRowMajor([1f, 2, 3, 4, 5, 6], 3, 2);
        Assert.Equal(5f, tall[2, 0]);
        Assert.Equal(4f, tall[1, 1]);
        Assert.Equal("data", Assert.ThrowsAny<ArgumentException>(() => Attend.FromRowMajor(new float[5], 2, 3)).ParamName);
    }

    [Fact]
    public void Scores_are_Q_times_K_transposed()
    {
        var Q = Attend.FromRowMajor(TestData.Uniform(3 * 5, seed: 1), 3, 5);
        var K = Attend.FromRowMajor(TestData.Uniform(4 * 5, seed: 2), 4, 5);
        var S = Attend.Scores(Q, K);
        Assert.Equal((3, 4), (S.RowCount, S.ColumnCount));
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
            {
                double dot = 0, magnitude = 0;
                for (int c = 0; c < 5; c++) { dot += (double)Q[i, c] * K[j, c]; magnitude += Math.Abs((double)Q[i, c] * K[j, c]); }
                Assert.True(Math.Abs(S[i, j] - dot) <= 6 * Tolerance.FloatEpsilon / 2 * magnitude, $"S[{i}, {j}]");   // γ_5 bound
            }
        var error = Assert.ThrowsAny<ArgumentException>(() => Attend.Scores(Q, Attend.FromRowMajor(new float[8], 2, 4)));
        Assert.Equal("K", error.ParamName);
        Assert.Contains("[3, 5]", error.Message);
    }

    [Fact]
    public void Softmax_normalises_each_row_of_a_non_square_matrix()
    {
        float[] scores = TestData.Uniform(3 * 5, seed: 20, amplitude: 4);
        scores[2 * 5 + 1] = float.NegativeInfinity;   // a masked entry in the last row
        var P = Attend.Softmax(Attend.FromRowMajor(scores, 3, 5), temperature: 0.5f);
        Assert.Equal((3, 5), (P.RowCount, P.ColumnCount));

        // Row-wise softmax of scores / 0.5 in float64, and a naive float32 one for the tolerance.
        var expected64 = new double[15];
        var expected32 = new float[15];
        for (int i = 0; i < 3; i++)
        {
            double max = Enumerable.Range(0, 5).Max(j => scores[i * 5 + j] / 0.5);
            double sum = Enumerable.Range(0, 5).Sum(j => Math.Exp(scores[i * 5 + j] / 0.5 - max));
            float max32 = Enumerable.Range(0, 5).Max(j => scores[i * 5 + j] / 0.5f), sum32 = 0;
            for (int j = 0; j < 5; j++) sum32 += MathF.Exp(scores[i * 5 + j] / 0.5f - max32);
            for (int j = 0; j < 5; j++)
            {
                expected64[i * 5 + j] = Math.Exp(scores[i * 5 + j] / 0.5 - max) / sum;
                expected32[i * 5 + j] = MathF.Exp(scores[i * 5 + j] / 0.5f - max32) / sum32;
            }
        }
        Tolerance.AssertClose(Attend.ToRowMajor(P), expected64, Tolerance.Derived(Tolerance.MaxAbsError(expected32, expected64), expected64), "softmax");
        Assert.Equal(0f, P[2, 1]);

        var allMasked = Attend.Softmax(Attend.FromRowMajor([float.NegativeInfinity, float.NegativeInfinity], 1, 2));
        Assert.Equal([0f, 0f], Attend.ToRowMajor(allMasked));
    }

    [Theory]
    [InlineData(KernelPath.Reference)]
    [InlineData(KernelPath.Simd)]
    [InlineData(KernelPath.Auto)]
    public void Scaled_dot_product_equals_the_span_kernel_on_non_square_shapes(KernelPath path)
    {
        int nQ = 3, nK = 5, dK = 4, dV = 2;
        float[] q = TestData.Uniform(nQ * dK, seed: 3), k = TestData.Uniform(nK * dK, seed: 4), v = TestData.Uniform(nK * dV, seed: 5);
        var mask = AttentionMask.CausalMask();
        var result = Attend.ScaledDotProduct(
            Attend.FromRowMajor(q, nQ, dK), Attend.FromRowMajor(k, nK, dK), Attend.FromRowMajor(v, nK, dV), mask, scale: 0.7f, path: path);

        var shape = new AttentionShape(1, nQ, nK, dK, valueDim: dV);
        var output = new float[nQ * dV];
        var weights = new float[nQ * nK];
        ScaledDotProductAttention.Forward(q, k, v, output, shape, new AttentionOptions { Mask = mask, Scale = 0.7f, Path = path }, weights);

        Assert.Equal((nQ, dV), (result.Output.RowCount, result.Output.ColumnCount));
        Assert.Equal((nQ, nK), (result.Weights.RowCount, result.Weights.ColumnCount));
        Assert.Equal(output, Attend.ToRowMajor(result.Output));
        Assert.Equal(weights, Attend.ToRowMajor(result.Weights));
        Assert.Equal(0f, result.Weights[0, 4]);   // causal offset n_k − n_q = 2: query 0 sees keys 0..2
        Assert.NotEqual(0f, result.Weights[0, 2]);
    }

    [Fact]
    public void Tiled_path_returns_its_output_with_the_weights_of_an_extra_pass()
    {
        var Q = Attend.FromRowMajor(TestData.Uniform(6 * 4, seed: 6), 6, 4);
        var K = Attend.FromRowMajor(TestData.Uniform(6 * 4, seed: 7), 6, 4);
        var V = Attend.FromRowMajor(TestData.Uniform(6 * 3, seed: 8), 6, 3);
        var tiled = Attend.ScaledDotProduct(Q, K, V, path: KernelPath.Tiled);
        var simd = Attend.ScaledDotProduct(Q, K, V, path: KernelPath.Simd);
        Assert.Equal(simd.Weights, tiled.Weights);

        var shape = new AttentionShape(1, 6, 6, 4, valueDim: 3);
        var output = new float[6 * 3];
        ScaledDotProductAttention.Forward(Attend.ToRowMajor(Q), Attend.ToRowMajor(K), Attend.ToRowMajor(V), output, shape, new AttentionOptions { Path = KernelPath.Tiled });
        Assert.Equal(output, Attend.ToRowMajor(tiled.Output));
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_named()
    {
        var Q = Attend.FromRowMajor(new float[6], 2, 3);
        var K = Attend.FromRowMajor(new float[12], 4, 3);
        var error = Assert.ThrowsAny<ArgumentException>(() => Attend.ScaledDotProduct(Q, K, Attend.FromRowMajor(new float[6], 3, 2)));
        Assert.Equal("V", error.ParamName);
        Assert.Contains("K [4, 3], V [3, 2]", error.Message);
        Assert.Equal("K", Assert.ThrowsAny<ArgumentException>(() => Attend.ScaledDotProduct(Q, Attend.FromRowMajor(new float[8], 4, 2), K)).ParamName);
        Assert.Equal("Q", Assert.Throws<ArgumentNullException>(() => Attend.ScaledDotProduct(null!, K, K)).ParamName);
    }

    [Fact]
    public void Layer_on_matrices_equals_the_layer_on_spans_and_reads_like_the_math()
    {
        var layer = new MultiHeadAttention(modelDim: 8, heads: 2, contextDim: 6, seed: 9);
        float[] x = TestData.Uniform(3 * 8, seed: 10), context = TestData.Uniform(5 * 6, seed: 11);
        var options = new AttentionOptions { Mask = AttentionMask.Padding(4) };
        var result = layer.Forward(Attend.FromRowMajor(x, 3, 8), Attend.FromRowMajor(context, 5, 6), options);

        var output = new float[3 * 8];
        var weights = new float[2 * 3 * 5];
        layer.Forward(x, 3, context, 5, output, options, weights);
        Assert.Equal(output, Attend.ToRowMajor(result.Output));
        Assert.Equal(2, result.Weights.Count);
        for (int h = 0; h < 2; h++)
            Assert.Equal(weights.AsSpan(h * 15, 15).ToArray(), Attend.ToRowMajor(result.Weights[h]));

        // Q = X·W_Q as a MathNet product: the exact product to within the float32 dot-product bound γ_8·Σ|x·w|.
        var X = Attend.FromRowMajor(x, 3, 8);
        var Q = X * layer.WQ;
        double gamma = 8 * Tolerance.FloatEpsilon / 2 / (1 - 8 * Tolerance.FloatEpsilon / 2);
        for (int i = 0; i < 3; i++)
            for (int o = 0; o < 8; o++)
            {
                double exact = 0, magnitude = 0;
                for (int c = 0; c < 8; c++) { double p = (double)x[i * 8 + c] * layer.QueryWeight[c * 8 + o]; exact += p; magnitude += Math.Abs(p); }
                Assert.True(Math.Abs(Q[i, o] - exact) <= gamma * magnitude, $"Q[{i}, {o}]");
            }
    }

    [Fact]
    public void Weight_matrices_are_copies_that_write_back_when_assigned()
    {
        var layer = new MultiHeadAttention(modelDim: 4, heads: 2, kvHeads: 1, seed: 12);
        var WK = layer.WK;                                   // [4, 2]
        Assert.Equal((4, 2), (WK.RowCount, WK.ColumnCount));
        Assert.Equal(layer.KeyWeight[1 * 2 + 1], WK[1, 1]);  // row-major [in, out]
        WK[3, 0] = 42f;
        Assert.NotEqual(42f, layer.KeyWeight[3 * 2 + 0]);    // a copy ...
        layer.WK = WK;
        Assert.Equal(42f, layer.KeyWeight[3 * 2 + 0]);       // ... until assigned
        var BO = layer.BO!;
        BO[2] = 7f;
        layer.BO = BO;
        Assert.Equal(7f, layer.OutputBias![2]);
    }

    [Fact]
    public void Every_weight_and_bias_property_reads_and_writes_its_own_array()
    {
        // GQA and a context width of its own, so that W_K, W_V [6, 2] differ in shape from W_Q, W_O [4, 4].
        var layer = new MultiHeadAttention(modelDim: 4, heads: 2, kvHeads: 1, contextDim: 6, seed: 13);
        var matrices = new (string Name, Func<Matrix<float>> Get, Action<Matrix<float>> Set, float[] Array, int Rows, int Cols)[]
        {
            ("WQ", () => layer.WQ, m => layer.WQ = m, layer.QueryWeight, 4, 4),
            ("WK", () => layer.WK, m => layer.WK = m, layer.KeyWeight, 6, 2),
            ("WV", () => layer.WV, m => layer.WV = m, layer.ValueWeight, 6, 2),
            ("WO", () => layer.WO, m => layer.WO = m, layer.OutputWeight, 4, 4),
        };
        for (int a = 0; a < matrices.Length; a++)
        {
            var (name, get, set, array, rows, cols) = matrices[a];
            var matrix = get();
            Assert.Equal((rows, cols), (matrix.RowCount, matrix.ColumnCount));
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    Assert.True(array[r * cols + c] == matrix[r, c], $"{name}[{r}, {c}] = {matrix[r, c]} but the array holds {array[r * cols + c]}");

            float[][] before = matrices.Select(m => m.Array.ToArray()).ToArray();
            set(Matrix<float>.Build.Dense(rows, cols, (r, c) => 100 * (a + 1) + r * cols + c));
            for (int b = 0; b < matrices.Length; b++)
                if (b == a)
                    Assert.True(Enumerable.Range(0, rows * cols).All(i => array[i] == 100 * (a + 1) + i), $"{name} = … did not write {name}'s array row-major");
                else
                    Assert.True(before[b].AsSpan().SequenceEqual(matrices[b].Array), $"{name} = … changed {matrices[b].Name}'s array");
        }

        var vectors = new (string Name, Func<Vector<float>?> Get, Action<Vector<float>> Set, float[] Array)[]
        {
            ("BQ", () => layer.BQ, v => layer.BQ = v, layer.QueryBias!),
            ("BK", () => layer.BK, v => layer.BK = v, layer.KeyBias!),
            ("BV", () => layer.BV, v => layer.BV = v, layer.ValueBias!),
            ("BO", () => layer.BO, v => layer.BO = v, layer.OutputBias!),
        };
        for (int a = 0; a < vectors.Length; a++)
        {
            var (name, get, set, array) = vectors[a];
            float[][] before = vectors.Select(v => v.Array.ToArray()).ToArray();
            set(Vector<float>.Build.Dense(array.Length, i => 10 * (a + 1) + i));
            Assert.Equal(Enumerable.Range(0, array.Length).Select(i => (float)(10 * (a + 1) + i)), array);
            Assert.Equal(array, get()!.ToArray());
            for (int b = 0; b < vectors.Length; b++)
                if (b != a) Assert.True(before[b].AsSpan().SequenceEqual(vectors[b].Array), $"{name} = … changed {vectors[b].Name}'s array");
        }
    }
}
