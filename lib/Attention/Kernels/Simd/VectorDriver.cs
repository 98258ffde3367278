using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Attention.Kernels.Simd;

/// <summary>
/// Runs an operator over spans. Each call walks the span once with the widest accelerated vectors
/// (Vector512, then Vector256, then Vector128, as <c>IsHardwareAccelerated</c> allows), hands the remainder to the
/// next narrower width, and finishes with scalar code; so every length from 0 up is handled, with at most one step of
/// each narrower width. Checking <c>IsHardwareAccelerated</c> costs nothing: the JIT treats it as a constant.
/// </summary>
internal static class VectorDriver
{
    /// <summary>y[i] = map(x[i]) for i &lt; x.Length. y may be x itself, but must not overlap it otherwise.</summary>
    public static void Map<TMap>(ReadOnlySpan<float> x, Span<float> y, TMap map) where TMap : struct, IMapOperator =>
        MapAggregate(x, y, map, new NoAggregate());

    /// <summary>y[i] = map(x[i]) for i &lt; x.Length, and the reduction of the y values written.</summary>
    public static float MapAggregate<TMap, TAgg>(ReadOnlySpan<float> x, Span<float> y, TMap map, TAgg aggregate)
        where TMap : struct, IMapOperator where TAgg : struct, IAggregateOperator
    {
        if (y.Length < x.Length) throw new ArgumentException("destination shorter than source", nameof(y));
        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        int i = 0;
        float result = aggregate.Identity;
        if (Vector512.IsHardwareAccelerated) result = Combine(aggregate, result, MapAggregateFrom<TMap, TAgg, Width512, Vector512<float>>(ref xRef, ref yRef, ref i, x.Length, map, aggregate));
        if (Vector256.IsHardwareAccelerated) result = Combine(aggregate, result, MapAggregateFrom<TMap, TAgg, Width256, Vector256<float>>(ref xRef, ref yRef, ref i, x.Length, map, aggregate));
        if (Vector128.IsHardwareAccelerated) result = Combine(aggregate, result, MapAggregateFrom<TMap, TAgg, Width128, Vector128<float>>(ref xRef, ref yRef, ref i, x.Length, map, aggregate));
        return Combine(aggregate, result, MapAggregateFrom<TMap, TAgg, ScalarWidth, float>(ref xRef, ref yRef, ref i, x.Length, map, aggregate));
    }

    /// <summary>The reduction of map(x[i]) over all i, without writing anything.</summary>
    public static float Aggregate<TMap, TAgg>(ReadOnlySpan<float> x, TMap map, TAgg aggregate)
        where TMap : struct, IMapOperator where TAgg : struct, IAggregateOperator
    {
        ref float xRef = ref MemoryMarshal.GetReference(x);
        int i = 0;
        float result = aggregate.Identity;
        if (Vector512.IsHardwareAccelerated) result = Combine(aggregate, result, AggregateFrom<TMap, TAgg, Width512, Vector512<float>>(ref xRef, ref i, x.Length, map, aggregate));
        if (Vector256.IsHardwareAccelerated) result = Combine(aggregate, result, AggregateFrom<TMap, TAgg, Width256, Vector256<float>>(ref xRef, ref i, x.Length, map, aggregate));
        if (Vector128.IsHardwareAccelerated) result = Combine(aggregate, result, AggregateFrom<TMap, TAgg, Width128, Vector128<float>>(ref xRef, ref i, x.Length, map, aggregate));
        return Combine(aggregate, result, AggregateFrom<TMap, TAgg, ScalarWidth, float>(ref xRef, ref i, x.Length, map, aggregate));
    }

    /// <summary>y[i] = zip(x[i], z[i]) for i &lt; x.Length. y may be x or z itself (axpy: z = y).</summary>
    public static void Zip<TZip>(ReadOnlySpan<float> x, ReadOnlySpan<float> z, Span<float> y, TZip zip) where TZip : struct, IZipOperator
    {
        if (z.Length < x.Length || y.Length < x.Length) throw new ArgumentException("operand shorter than x", nameof(y));
        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float zRef = ref MemoryMarshal.GetReference(z);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated) ZipFrom<TZip, Width512, Vector512<float>>(ref xRef, ref zRef, ref yRef, ref i, x.Length, zip);
        if (Vector256.IsHardwareAccelerated) ZipFrom<TZip, Width256, Vector256<float>>(ref xRef, ref zRef, ref yRef, ref i, x.Length, zip);
        if (Vector128.IsHardwareAccelerated) ZipFrom<TZip, Width128, Vector128<float>>(ref xRef, ref zRef, ref yRef, ref i, x.Length, zip);
        ZipFrom<TZip, ScalarWidth, float>(ref xRef, ref zRef, ref yRef, ref i, x.Length, zip);
    }

    /// <summary>y += a · x over x.Length elements (BLAS axpy).</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y) => Zip(x, y, y, new MultiplyAddOperator(a));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Combine<TAgg>(TAgg aggregate, float a, float b) where TAgg : struct, IAggregateOperator =>
        aggregate.Combine<ScalarWidth, float>(a, b);

    // One width's loop: whole vectors from i on; i is left at the first element this width could not take.
    private static float MapAggregateFrom<TMap, TAgg, TW, TVec>(ref float x, ref float y, ref int i, int length, TMap map, TAgg aggregate)
        where TMap : struct, IMapOperator where TAgg : struct, IAggregateOperator where TW : IVectorWidth<TVec> where TVec : struct
    {
        if (length - i < TW.Count) return aggregate.Identity;
        TVec accumulator = TW.Broadcast(aggregate.Identity);
        for (; i <= length - TW.Count; i += TW.Count)
        {
            TVec value = map.Invoke<TW, TVec>(TW.Load(ref Unsafe.Add(ref x, i)));
            TW.Store(value, ref Unsafe.Add(ref y, i));
            accumulator = aggregate.Combine<TW, TVec>(accumulator, value);
        }
        return aggregate.Across<TW, TVec>(accumulator);
    }

    private static float AggregateFrom<TMap, TAgg, TW, TVec>(ref float x, ref int i, int length, TMap map, TAgg aggregate)
        where TMap : struct, IMapOperator where TAgg : struct, IAggregateOperator where TW : IVectorWidth<TVec> where TVec : struct
    {
        if (length - i < TW.Count) return aggregate.Identity;
        TVec accumulator = TW.Broadcast(aggregate.Identity);
        for (; i <= length - TW.Count; i += TW.Count)
            accumulator = aggregate.Combine<TW, TVec>(accumulator, map.Invoke<TW, TVec>(TW.Load(ref Unsafe.Add(ref x, i))));
        return aggregate.Across<TW, TVec>(accumulator);
    }

    private static void ZipFrom<TZip, TW, TVec>(ref float x, ref float z, ref float y, ref int i, int length, TZip zip)
        where TZip : struct, IZipOperator where TW : IVectorWidth<TVec> where TVec : struct
    {
        for (; i <= length - TW.Count; i += TW.Count)
            TW.Store(zip.Invoke<TW, TVec>(TW.Load(ref Unsafe.Add(ref x, i)), TW.Load(ref Unsafe.Add(ref z, i))), ref Unsafe.Add(ref y, i));
    }
}
