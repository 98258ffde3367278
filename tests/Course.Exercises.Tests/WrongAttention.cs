using Course.Exercises;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises.Tests;

/// <summary>Typical wrong attentions, written the way a learner would, parameterised by the mistake.</summary>
public static class WrongAttention
{
    public enum Mistake { None, NoScale, ScaleOverDk, ScaleTimesSqrtDk, ScaleSqrtDv, SoftmaxOverColumns, ForgotV, KNotTransposed, ScaleAfterSoftmax, WeightsTransposed, NoMaxSubtraction }

    public static (Matrix<float> Output, Matrix<float> Weights) Attend(Matrix<float> q, Matrix<float> k, Matrix<float> v, Mistake mistake)
    {
        float dk = q.ColumnCount;
        float scale = mistake switch
        {
            Mistake.NoScale or Mistake.ScaleAfterSoftmax => 1,
            Mistake.ScaleOverDk => 1 / dk,
            Mistake.ScaleTimesSqrtDk => MathF.Sqrt(dk),
            Mistake.ScaleSqrtDv => 1 / MathF.Sqrt(v.ColumnCount),
            _ => 1 / MathF.Sqrt(dk),
        };
        Matrix<float> scores = (mistake == Mistake.KNotTransposed ? q * k : q * k.Transpose()) * scale;
        Matrix<float> weights = mistake switch
        {
            Mistake.SoftmaxOverColumns => Solutions.SoftmaxRows(scores.Transpose()).Transpose(),
            Mistake.NoMaxSubtraction => Naive(scores),
            _ => Solutions.SoftmaxRows(scores),
        };
        if (mistake == Mistake.ScaleAfterSoftmax) weights /= MathF.Sqrt(dk);
        Matrix<float> output = mistake switch
        {
            Mistake.ForgotV => weights,
            Mistake.WeightsTransposed => weights.Transpose() * v,
            _ => weights * v,
        };
        return (output, weights);
    }

    private static Matrix<float> Naive(Matrix<float> scores)
    {
        var e = scores.Map(MathF.Exp);
        for (int i = 0; i < e.RowCount; i++) e.SetRow(i, e.Row(i) / e.Row(i).Sum());
        return e;
    }
}
