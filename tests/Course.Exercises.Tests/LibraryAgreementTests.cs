using Attention;
using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>
/// The course library passes every check it has a counterpart for: its float32 results lie within the checks'
/// float32 bounds of their float64 references, on every kernel path. The two are independent implementations, so
/// this cross-validates both.
/// </summary>
public class LibraryAgreementTests
{
    public static TheoryData<KernelPath> Paths => new(Enum.GetValues<KernelPath>());

    [Fact]
    public void ScoresSoftmaxAndTemperature()
    {
        Expect.Passes(Check.ScoreMatrix(Attend.Scores));
        Expect.Passes(Check.SoftmaxRows(s => Attend.Softmax(s)));
        Expect.Passes(Check.Softmax(x => { var p = new float[x.Length]; Softmax.Forward(x, p); return p; }));
        Expect.Passes(Check.SoftmaxWithTemperature((x, t) => { var p = new float[x.Length]; Softmax.Forward(x, p, t); return p; }));
    }

    [Fact]
    public void MaskedSoftmax() =>
        Expect.Passes(Check.MaskedSoftmax((s, allowed) =>
        {
            var probs = new float[s.RowCount * s.ColumnCount];
            Softmax.ForwardRows(Attend.ToRowMajor(s), Flatten(allowed), probs, s.RowCount, s.ColumnCount);
            return Attend.FromRowMajor(probs, s.RowCount, s.ColumnCount);
        }));

    [Theory]
    [MemberData(nameof(Paths))]
    public void AttentionOnEveryPath(KernelPath path)
    {
        Expect.Passes(Check.Attention((q, k, v) => Attend.ScaledDotProduct(q, k, v, path: path).Output));
        Expect.Passes(Check.AttentionWithWeights((q, k, v) => { var r = Attend.ScaledDotProduct(q, k, v, path: path); return (r.Output, r.Weights); }));
        Expect.Passes(Check.MaskedAttention((q, k, v, allowed) => Attend.ScaledDotProduct(q, k, v, new AttentionMask { Allowed = Flatten(allowed) }, path: path).Output));
        Expect.Passes(Check.PaddingAttention((q, k, v, n) => Attend.ScaledDotProduct(q, k, v, AttentionMask.Padding(n), path: path).Output));
        Expect.Passes(Check.CrossAttention((d, e, wq, wk, wv) => Attend.ScaledDotProduct(d * wq, e * wk, e * wv, path: path).Output));
    }

    [Fact]
    public void KvCacheStepAttendingWithTheLibrary()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            keys.Add(k);
            values.Add(v);
            var Q = Matrix<float>.Build.DenseOfRowArrays([q]);   // [1, d_k]
            return Attend.ScaledDotProduct(Q, Matrix<float>.Build.DenseOfRowArrays(keys), Matrix<float>.Build.DenseOfRowArrays(values)).Output.Row(0).ToArray();
        }
        Expect.Passes(Check.KvCacheStep(Step));
    }

    [Fact]
    public void HeadsAndMultiHeadAttention()
    {
        Expect.Passes(Check.SplitHeads(global::Attention.MultiHeadAttention.SplitHeads));
        Expect.Passes(Check.MergeHeads(heads => global::Attention.MultiHeadAttention.MergeHeads(heads)));
        Expect.Passes(Check.MultiHeadAttention((x, wq, wk, wv, wo, heads) =>
        {
            var layer = new global::Attention.MultiHeadAttention(x.ColumnCount, heads, bias: false) { WQ = wq, WK = wk, WV = wv, WO = wo };
            return layer.Forward(x).Output;
        }));
    }

    [Fact]
    public void Positions()
    {
        Expect.Passes(Check.SinusoidalEncoding((length, dim) => Attend.FromRowMajor(PositionalEncoding.Sinusoidal(length, dim), length, dim)));
        Expect.Passes(Check.Rope((x, position) =>
        {
            float[] rotated = (float[])x.Clone();
            new RotaryEmbedding(x.Length).Apply(rotated, heads: 1, length: 1, positionOffset: position);
            return rotated;
        }));
    }

    private static bool[] Flatten(bool[,] allowed) => allowed.Cast<bool>().ToArray();
}
