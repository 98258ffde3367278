using System.Runtime.CompilerServices;

namespace Attention.Kernels.Simd;

// The element-wise steps of softmax and attention, each one operator.

/// <summary>x (used to reduce a span as it is).</summary>
internal readonly struct IdentityOperator : IMapOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct => x;
}

/// <summary>x · factor.</summary>
internal readonly struct ScaleOperator(float factor) : IMapOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct =>
        TW.Multiply(x, TW.Broadcast(factor));
}

/// <summary>exp((x - shift) · factor): the numerators of a softmax whose largest logit is <c>shift</c>.</summary>
internal readonly struct ExpOfShiftedOperator(float shift, float factor) : IMapOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct =>
        VectorMath.Exp<TW, TVec>(TW.Multiply(TW.Subtract(x, TW.Broadcast(shift)), TW.Broadcast(factor)));
}

/// <summary>(x - shift) · factor - logSum: log-softmax once the log of the normaliser is known.</summary>
internal readonly struct LogProbabilityOperator(float shift, float factor, float logSum) : IMapOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct =>
        TW.Subtract(TW.Multiply(TW.Subtract(x, TW.Broadcast(shift)), TW.Broadcast(factor)), TW.Broadcast(logSum));
}

/// <summary>a · x + z: with z = y and y as destination, the BLAS axpy y += a·x.</summary>
internal readonly struct MultiplyAddOperator(float a) : IZipOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x, TVec z) where TW : IVectorWidth<TVec> where TVec : struct =>
        TW.MultiplyAdd(TW.Broadcast(a), x, z);
}

/// <summary>x · scale + bias, and exactly -inf where the bias is -inf (a masked key stays masked even if x is NaN).</summary>
internal readonly struct ScaleAddBiasOperator(float scale) : IZipOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x, TVec bias) where TW : IVectorWidth<TVec> where TVec : struct =>
        TW.NegativeInfinityWhere(bias, TW.MultiplyAdd(x, TW.Broadcast(scale), bias));
}

/// <summary>x + bias, and exactly -inf where the bias is -inf (a masked key stays masked even if x is NaN).</summary>
internal readonly struct AddBiasOperator : IZipOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Invoke<TW, TVec>(TVec x, TVec bias) where TW : IVectorWidth<TVec> where TVec : struct =>
        TW.NegativeInfinityWhere(bias, TW.Add(x, bias));
}

/// <summary>Maximum, propagating NaN; identity -inf.</summary>
internal readonly struct MaxAggregate : IAggregateOperator
{
    public float Identity => float.NegativeInfinity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Combine<TW, TVec>(TVec a, TVec b) where TW : IVectorWidth<TVec> where TVec : struct => TW.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Across<TW, TVec>(TVec value) where TW : IVectorWidth<TVec> where TVec : struct => TW.MaxAcross(value);
}

/// <summary>Sum; identity 0.</summary>
internal readonly struct SumAggregate : IAggregateOperator
{
    public float Identity => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Combine<TW, TVec>(TVec a, TVec b) where TW : IVectorWidth<TVec> where TVec : struct => TW.Add(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Across<TW, TVec>(TVec value) where TW : IVectorWidth<TVec> where TVec : struct => TW.SumAcross(value);
}

/// <summary>No reduction: lets <see cref="VectorDriver.Map{TMap}"/> reuse the map-and-reduce loop (the JIT drops the dead adds).</summary>
internal readonly struct NoAggregate : IAggregateOperator
{
    public float Identity => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Combine<TW, TVec>(TVec a, TVec b) where TW : IVectorWidth<TVec> where TVec : struct => a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Across<TW, TVec>(TVec value) where TW : IVectorWidth<TVec> where TVec : struct => 0f;
}
