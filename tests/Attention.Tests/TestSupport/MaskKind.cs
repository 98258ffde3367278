using Attention;

namespace Attention.Tests.TestSupport;

/// <summary>The mask configurations the sweeps cover.</summary>
public enum MaskKind
{
    None,
    Causal,
    /// <summary>Causal with an explicit offset of -2: the first query rows see no key at all.</summary>
    CausalNegativeOffset,
    /// <summary>Causal with offset +3 (queries see three keys ahead).</summary>
    CausalPositiveOffset,
    /// <summary>Only the first two thirds of the keys are real.</summary>
    Padding,
    AllowedShared,
    AllowedPerHead,
    /// <summary>Finite random bias with about 10 % -inf entries, shared by all heads.</summary>
    BiasShared,
    BiasPerHead,
    /// <summary>Causal + padding + boolean + bias together.</summary>
    Everything,
}

/// <summary>Builds seeded masks of each <see cref="MaskKind"/> for a shape.</summary>
public static class Masks
{
    public static AttentionMask Make(MaskKind kind, AttentionShape shape, int seed)
    {
        int plane = shape.QueryLength * shape.KeyLength;
        int perHead = plane * shape.Heads;
        return kind switch
        {
            MaskKind.None => AttentionMask.None,
            MaskKind.Causal => AttentionMask.CausalMask(),
            MaskKind.CausalNegativeOffset => AttentionMask.CausalMask(-2),
            MaskKind.CausalPositiveOffset => AttentionMask.CausalMask(3),
            MaskKind.Padding => AttentionMask.Padding(shape.KeyLength * 2 / 3),
            MaskKind.AllowedShared => new AttentionMask { Allowed = TestData.Booleans(plane, seed) },
            MaskKind.AllowedPerHead => new AttentionMask { Allowed = TestData.Booleans(perHead, seed) },
            MaskKind.BiasShared => new AttentionMask { Bias = Bias(plane, seed) },
            MaskKind.BiasPerHead => new AttentionMask { Bias = Bias(perHead, seed) },
            MaskKind.Everything => new AttentionMask
            {
                Causal = true,
                KeyLength = shape.KeyLength - shape.KeyLength / 4,
                Allowed = TestData.Booleans(perHead, seed, keep: 0.8),
                Bias = Bias(plane, seed + 1),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>Bias uniform in [-2, 2) with about 10 % of entries -inf.</summary>
    public static float[] Bias(int count, int seed)
    {
        var bias = TestData.Uniform(count, seed, 2f);
        var random = new Random(seed + 7);
        for (int i = 0; i < count; i++) if (random.NextDouble() < 0.1) bias[i] = float.NegativeInfinity;
        return bias;
    }

    public static IEnumerable<object[]> AllKinds() => Enum.GetValues<MaskKind>().Select(kind => new object[] { kind });
}
