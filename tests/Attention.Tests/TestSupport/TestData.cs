namespace Attention.Tests.TestSupport;

/// <summary>Deterministic test inputs.</summary>
public static class TestData
{
    /// <summary><paramref name="count"/> values uniform in [-amplitude, amplitude) from a seeded generator.</summary>
    public static float[] Uniform(int count, int seed, float amplitude = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * amplitude;
        return values;
    }

    /// <summary>Booleans that are true with probability <paramref name="keep"/>.</summary>
    public static bool[] Booleans(int count, int seed, double keep = 0.7)
    {
        var random = new Random(seed);
        var values = new bool[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble() < keep;
        return values;
    }
}
