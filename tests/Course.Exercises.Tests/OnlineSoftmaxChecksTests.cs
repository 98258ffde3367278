using Course.Exercises;

namespace Course.Exercises.Tests;

/// <summary>Notebook 11 checks: streaming softmax statistics and their combination.</summary>
public class OnlineSoftmaxChecksTests
{
    /// <summary>A streaming (max, sum) with the rescale as a parameter: (sum, m_old, m_new) → rescaled sum.</summary>
    private static (float, float) Streaming(IEnumerable<float[]> blocks, Func<float, float, float, float> rescale)
    {
        float max = float.NegativeInfinity, sum = 0;
        foreach (var block in blocks)
        {
            if (block.Length == 0) continue;
            float newMax = MathF.Max(max, block.Max());
            if (float.IsNegativeInfinity(newMax)) continue;
            if (sum != 0) sum = rescale(sum, max, newMax);
            foreach (float x in block) sum += MathF.Exp(x - newMax);
            max = newMax;
        }
        return (max, sum);
    }

    [Fact]
    public void CorrectStreamingHelperPasses() =>
        Expect.Passes(Check.OnlineSoftmax(blocks => Streaming(blocks, (s, m, n) => s * MathF.Exp(m - n))));

    /// <summary>Online softmax one logit at a time, the running maximum starting at <paramref name="start"/> (−∞ is right).</summary>
    private static (float, float) PerElement(IEnumerable<float[]> blocks, float start)
    {
        float max = start, sum = 0;
        foreach (var block in blocks)
            foreach (float x in block)
            {
                if (float.IsNegativeInfinity(x)) continue;
                float newMax = MathF.Max(max, x);
                sum = sum * MathF.Exp(max - newMax) + MathF.Exp(x - newMax);
                max = newMax;
            }
        return (max, sum);
    }

    [Fact]
    public void PerElementStreamingPasses() =>
        Expect.Passes(Check.OnlineSoftmax(blocks => PerElement(blocks, float.NegativeInfinity)));

    [Fact]
    public void MissingRescaleIsRecognised() =>
        Expect.Fails(Check.OnlineSoftmax(blocks => Streaming(blocks, (s, _, _) => s)), "mistake:no-rescale", "Case 1 of 8", "Sum should be");

    [Fact]
    public void InvertedRescaleIsRecognised() =>
        Expect.Fails(Check.OnlineSoftmax(blocks => Streaming(blocks, (s, m, n) => s * MathF.Exp(n - m))), "mistake:rescale-inverted");

    [Fact]
    public void FirstBlockMaximumIsRecognised()
    {
        (float, float) FirstMax(IEnumerable<float[]> blocks)
        {
            float? max = null; float sum = 0;
            foreach (var block in blocks)
            {
                if (block.Length == 0) continue;
                max ??= block.Max();
                foreach (float x in block) sum += MathF.Exp(x - max.Value);
            }
            return (max ?? float.NegativeInfinity, sum);
        }
        Expect.Fails(Check.OnlineSoftmax(FirstMax), "mistake:first-block-maximum", "Max should be");
    }

    [Fact]
    public void SumWithoutMaximumIsRecognised()
    {
        (float, float) Plain(IEnumerable<float[]> blocks)
        {
            float max = float.NegativeInfinity, sum = 0;
            foreach (var block in blocks) foreach (float x in block) { max = MathF.Max(max, x); sum += MathF.Exp(x); }
            return (max, sum);
        }
        Expect.Fails(Check.OnlineSoftmax(Plain), "mistake:sum-without-max");
    }

    [Fact]
    public void ReadingTheStreamTwiceIsRecognised()
    {
        (float, float) TwoPass(IEnumerable<float[]> blocks)
        {
            float max = blocks.SelectMany(b => b).Max();
            return (max, blocks.SelectMany(b => b).Sum(x => MathF.Exp(x - max)));
        }
        CheckResult result = Check.OnlineSoftmax(TwoPass);
        Expect.Fails(result, "mistake:read-twice", "read the stream of blocks twice");
        Assert.Contains("running maximum", result.Hint);
    }

    [Fact]
    public void KeepingTheBlocksIsRecognised()
    {
        (float, float) Stored(IEnumerable<float[]> blocks)
        {
            var all = blocks.ToList();   // keeps references to reused buffers
            float max = all.SelectMany(b => b).DefaultIfEmpty(float.NegativeInfinity).Max();
            return (max, all.SelectMany(b => b).Sum(x => MathF.Exp(x - max)));
        }
        Expect.Fails(Check.OnlineSoftmax(Stored), "mistake:stored-blocks", "Case 2 of 8", "reused buffer");
    }

    [Fact]
    public void CopyingTheValuesThenTwoPassesIsAccepted()
    {
        // Not online, but correct: the check judges results; the notebook's prose asks for one pass.
        (float, float) Copied(IEnumerable<float[]> blocks)
        {
            float[] all = blocks.SelectMany(b => b).ToArray();
            float max = all.DefaultIfEmpty(float.NegativeInfinity).Max();
            return float.IsNegativeInfinity(max) ? (max, 0) : (max, all.Sum(x => MathF.Exp(x - max)));
        }
        Expect.Passes(Check.OnlineSoftmax(Copied));
    }

    [Fact]
    public void MaximumStartingAtFloatMinValueFailsOnTheFullyMaskedRow()
    {
        // Right wherever a logit is finite; on an all −∞ row the maximum stays float.MinValue instead of −∞.
        CheckResult result = Check.OnlineSoftmax(blocks => PerElement(blocks, float.MinValue));
        Expect.Fails(result, "mismatch", "Case 8 of 8", "every logit is −∞", "Max should be −∞, yours is -3.40282e+38");
        Assert.Equal(7, result.Details.Count(line => line.StartsWith('✓')));
    }

    [Fact]
    public void UnguardedRescaleGivesNaNOnAMaskedFirstBlock()
    {
        (float, float) Unguarded(IEnumerable<float[]> blocks)
        {
            float max = float.NegativeInfinity, sum = 0;
            foreach (var block in blocks)
            {
                float newMax = MathF.Max(max, block.DefaultIfEmpty(float.NegativeInfinity).Max());
                sum = sum * MathF.Exp(max - newMax) + block.Sum(x => MathF.Exp(x - newMax));
                max = newMax;
            }
            return (max, sum);
        }
        CheckResult result = Check.OnlineSoftmax(Unguarded);
        Expect.Fails(result, "non-finite", "Case 6 of 8", "first block is fully masked", "Sum should be");
        Assert.Contains("exp(−∞ − (−∞)) = NaN", result.Hint);
    }

    [Fact]
    public void CombineWithoutRescaleIsRecognised() =>
        Expect.Fails(Check.OnlineSoftmaxCombine((a, b) => (MathF.Max(a.Max, b.Max), a.Sum + b.Sum)), "mistake:no-rescale", "Sum should be");

    [Fact]
    public void CombineWithInvertedRescaleIsRecognised() =>
        Expect.Fails(Check.OnlineSoftmaxCombine((a, b) =>
        {
            float m = MathF.Max(a.Max, b.Max);
            return (m, a.Sum * MathF.Exp(m - a.Max) + b.Sum * MathF.Exp(m - b.Max));
        }), "mistake:rescale-inverted");

    [Fact]
    public void CombineWithMinimumIsRecognised() =>
        Expect.Fails(Check.OnlineSoftmaxCombine((a, b) =>
        {
            float m = MathF.Min(a.Max, b.Max);
            return (m, a.Sum * MathF.Exp(a.Max - m) + b.Sum * MathF.Exp(b.Max - m));
        }), "mistake:minimum");

    [Fact]
    public void CombineKeepingOnlyTheLargerPartIsRecognised() =>
        Expect.Fails(Check.OnlineSoftmaxCombine((a, b) => a.Max >= b.Max ? a : b), "mistake:larger-part-only");

    [Fact]
    public void CombineWithoutCommonMaximumIsRecognised() =>
        Expect.Fails(Check.OnlineSoftmaxCombine((a, b) => (MathF.Max(a.Max, b.Max), a.Sum * MathF.Exp(a.Max) + b.Sum * MathF.Exp(b.Max))), "mistake:exp-of-maxima");

    [Fact]
    public void CombineWithoutEmptyGuardGivesNaNOnTwoEmptyParts()
    {
        CheckResult result = Check.OnlineSoftmaxCombine((a, b) =>
        {
            float m = MathF.Max(a.Max, b.Max);
            return (m, a.Sum * MathF.Exp(a.Max - m) + b.Sum * MathF.Exp(b.Max - m));
        });
        Expect.Fails(result, "non-finite", "Case 6 of 7", "two empty parts", "Sum should be 0, yours is NaN");
    }
}
