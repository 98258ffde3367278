namespace Course.Exercises;

public static partial class Solutions
{
    /// <summary>Notebook 11: one pass over the blocks, keeping a running maximum and a running sum.</summary>
    public static (float Max, float Sum) OnlineSoftmax(IEnumerable<float[]> blocks)
    {
        (float Max, float Sum) running = (float.NegativeInfinity, 0);
        foreach (float[] block in blocks)
        {
            float blockMax = block.Length == 0 ? float.NegativeInfinity : block.Max();
            if (float.IsNegativeInfinity(blockMax)) continue;   // nothing to add (empty or fully masked block)
            float blockSum = block.Sum(x => MathF.Exp(x - blockMax));
            running = OnlineSoftmaxCombine(running, (blockMax, blockSum));
        }
        return running;
    }

    /// <summary>Notebook 11: merge two (max, sum) statistics; a part with sum 0 contributes nothing.</summary>
    public static (float Max, float Sum) OnlineSoftmaxCombine((float Max, float Sum) a, (float Max, float Sum) b)
    {
        float max = MathF.Max(a.Max, b.Max);
        float sum = (a.Sum == 0 ? 0 : a.Sum * MathF.Exp(a.Max - max))
                  + (b.Sum == 0 ? 0 : b.Sum * MathF.Exp(b.Max - max));
        return (max, sum);
    }
}
