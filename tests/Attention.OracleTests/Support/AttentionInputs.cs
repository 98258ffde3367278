namespace Attention.OracleTests.Support;

/// <summary>
/// Seeded q, k, v for one attention call, head-major as the library takes them.
/// Magnitudes (they make the 1e-5 bound meaningful): q and k ~ N(0, 1.5²), v ~ N(0, 1). With the default scale
/// 1/√d_k the logits then have a standard deviation of about 2.25 whatever d_k is, so each query's attention is
/// peaked on a handful of keys and the outputs keep an RMS of 0.2–1.2 (largest values 2–3.5) even at
/// n_k = 1024, instead of averaging down towards 0 as they would with flatter logits. An absolute error of
/// 1e-5 is thus a relative error of 1e-5 to 5e-5 on the typical output.
/// </summary>
public sealed record AttentionInputs(AttentionShape Shape, float[] Q, float[] K, float[] V)
{
    public const double QueryKeyStd = 1.5;

    public static AttentionInputs Create(AttentionShape shape, int seed)
    {
        var random = new SeededTensors(seed);
        return new AttentionInputs(shape,
            random.Normal(shape.QueryElements, QueryKeyStd),
            random.Normal(shape.KeyElements, QueryKeyStd),
            random.Normal(shape.ValueElements));
    }

    /// <summary>The library's output [heads, n_q, d_v] on the given path.</summary>
    public float[] RunLibrary(AttentionOptions options)
    {
        var output = new float[Shape.OutputElements];
        ScaledDotProductAttention.Forward(Q, K, V, output, Shape, options);
        return output;
    }
}
