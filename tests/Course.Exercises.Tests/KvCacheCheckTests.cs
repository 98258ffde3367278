using Course.Exercises;

namespace Course.Exercises.Tests;

/// <summary>Notebook 06 KV-cache step.</summary>
public class KvCacheCheckTests
{
    private static float[] Attend(List<float[]> keys, List<float[]> values, float[] q, float scale = float.NaN)
    {
        if (keys.Count == 0) return new float[values.Count == 0 ? 0 : values[0].Length];
        float s = float.IsNaN(scale) ? 1 / MathF.Sqrt(q.Length) : scale;
        float[] w = Solutions.Softmax(keys.Select(k => Solutions.DotProduct(q, k) * s).ToArray());
        var output = new float[values[0].Length];
        for (int j = 0; j < values.Count; j++) for (int c = 0; c < output.Length; c++) output[c] += w[j] * values[j][c];
        return output;
    }

    [Fact]
    public void AttendingBeforeAppendingIsRecognised()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            float[] output = keys.Count == 0 ? new float[v.Length] : Attend(keys, values, q);
            keys.Add(k);
            values.Add(v);
            return output;
        }
        Expect.Fails(Check.KvCacheStep(Step), "mistake:attend-before-append", "Case 1 of 6");
    }

    [Fact]
    public void NotAppendingIsRecognised()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v) =>
            Attend([.. keys, k], [.. values, v], q);
        Expect.Fails(Check.KvCacheStep(Step), "mistake:not-appended", "keyCache should have", "but yours has 3 vectors");
    }

    [Fact]
    public void PrependingIsRecognised()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            keys.Insert(0, k);
            values.Insert(0, v);
            return Attend(keys, values, q);
        }
        Expect.Fails(Check.KvCacheStep(Step), "mistake:prepended", "keyCache[0][0] (position 0, column 0) should be");
    }

    [Fact]
    public void CachingTheQueryIsRecognised()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            keys.Add(q);
            values.Add(v);
            return Attend(keys, values, q);
        }
        Expect.Fails(Check.KvCacheStep(Step), "mistake:query-cached");
    }

    [Fact]
    public void SwappingKeyAndValueIsRecognisedWhereWidthsMatch()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            if (k.Length == v.Length) { keys.Add(v); values.Add(k); }
            else { keys.Add(k); values.Add(v); }
            return Attend(keys, values, q);
        }
        Expect.Fails(Check.KvCacheStep(Step), "mistake:key-value-swapped", "Case 2 of 6");
    }

    [Fact]
    public void SwappingKeyAndValueWithDifferentWidthsIsCaughtWithoutCrashing()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            keys.Add(v);
            values.Add(k);
            return new float[v.Length];
        }
        Expect.Fails(Check.KvCacheStep(Step), "output", "keyCache[3] has 2 elements but keyCache[0] has 4");
    }

    [Fact]
    public void MissingScaleIsRecognised()
    {
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            keys.Add(k);
            values.Add(v);
            return Attend(keys, values, q, scale: 1);
        }
        Expect.Fails(Check.KvCacheStep(Step), "mistake:no-scale");
    }

    [Fact]
    public void ReusedOutputBufferIsJudgedPerStep()
    {
        // Returning the same array every step is fine: the check copies each step's output when it is returned.
        var buffer = new float[2];
        float[] Step(List<float[]> keys, List<float[]> values, float[] q, float[] k, float[] v)
        {
            float[] output = Solutions.KvCacheStep(keys, values, q, k, v);
            if (output.Length != buffer.Length) return output;
            output.CopyTo(buffer, 0);
            return buffer;
        }
        Expect.Passes(Check.KvCacheStep(Step));
    }

    [Fact]
    public void NullOutputIsReported() =>
        Expect.Fails(Check.KvCacheStep((keys, values, q, k, v) => null!), "output", "output[0] is null");
}
