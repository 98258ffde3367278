namespace Attention.OracleTests.Support;

/// <summary>Reproducible random tensors (System.Random with a seed is stable across runs and machines).</summary>
public sealed class SeededTensors(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Normal(0, std²) values (Box–Muller).</summary>
    public float[] Normal(int count, double std = 1.0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
        return values;
    }

    /// <summary>Uniform values in [-limit, limit).</summary>
    public float[] Uniform(int count, double limit)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((2.0 * _random.NextDouble() - 1.0) * limit);
        return values;
    }

    /// <summary>Booleans, true with probability <paramref name="pTrue"/>.</summary>
    public bool[] Bernoulli(int count, double pTrue)
    {
        var values = new bool[count];
        for (int i = 0; i < count; i++) values[i] = _random.NextDouble() < pTrue;
        return values;
    }
}
