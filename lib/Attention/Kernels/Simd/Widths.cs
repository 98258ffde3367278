using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Attention.Kernels.Simd;

// The four widths the kernels are compiled for. Each member maps one-to-one onto a BCL vector operation.

/// <summary>16 floats per operation (AVX-512).</summary>
internal readonly struct Width512 : IVectorWidth<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref readonly float source) => Vector512.LoadUnsafe(in source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> CopySign(Vector512<float> value, Vector512<float> sign) => Vector512.CopySign(value, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Round(Vector512<float> x) => Vector512.Round(x);
    // Vector512 is accelerated only with AVX-512 F, BW, CD, DQ and VL: vreduceps (DQ) is there. Its control byte 1:
    // keep no fraction bits of the rounded part (high nibble 0), round it down (low bits 01).
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fraction(Vector512<float> x) => Avx512DQ.Reduce(x, 1);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyByPowerOfTwo(Vector512<float> value, Vector512<float> exponent) =>
        (value.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32Native(exponent), 23)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleByPowerOfTwo(Vector512<float> value, Vector512<float> exponent) =>
        Avx512F.IsSupported ? Avx512F.Scale(value, exponent) : MultiplyByPowerOfTwo(value, Vector512.Floor(exponent));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZeroWhereLess(Vector512<float> x, float limit, Vector512<float> value) =>
        // "not less than" keeps NaN lanes; as a select against zero it becomes a zero-masked write of value's
        // instruction (one compare more), where and-not took three.
        Avx512F.IsSupported ? Vector512.ConditionalSelect(Avx512F.CompareNotLessThan(x, Vector512.Create(limit)), value, Vector512<float>.Zero)
            : Vector512.AndNot(value, Vector512.LessThan(x, Vector512.Create(limit)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NegativeInfinityWhere(Vector512<float> test, Vector512<float> value) =>
        Vector512.ConditionalSelect(Vector512.Equals(test, Vector512.Create(float.NegativeInfinity)), test, value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepFirst(Vector512<float> value, int lanes, float fill) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lanes)).AsSingle(), value, Vector512.Create(fill));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float SumAcross(Vector512<float> value) => Vector512.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumAcross4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        if (!Avx512F.IsSupported) return Vector128.Create(SumAcross(a), SumAcross(b), SumAcross(c), SumAcross(d));
        // In each 128-bit lane: a0+a2, b0+b2, a1+a3, b1+b3 (and the same for c, d), then a, b, c, d; then the four lanes.
        var ab = Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);
        var cd = Avx512F.UnpackLow(c, d) + Avx512F.UnpackHigh(c, d);
        var sums = Avx512F.Shuffle(ab, cd, 0b01_00_01_00) + Avx512F.Shuffle(ab, cd, 0b11_10_11_10);
        var half = sums.GetLower() + sums.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector512<float> value) => Width256.MaxAcross(Vector256.Max(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinAcross(Vector512<float> value) => Width256.MinAcross(Vector256.Min(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcrossNative(Vector512<float> value) => Width256.MaxAcrossNative(Vector256.MaxNative(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinAcrossNative(Vector512<float> value) => Width256.MinAcrossNative(Vector256.MinNative(value.GetLower(), value.GetUpper()));
}

/// <summary>8 floats per operation (AVX2).</summary>
internal readonly struct Width256 : IVectorWidth<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref readonly float source) => Vector256.LoadUnsafe(in source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> CopySign(Vector256<float> value, Vector256<float> sign) => Vector256.CopySign(value, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Round(Vector256<float> x) => Vector256.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fraction(Vector256<float> x) => x - Vector256.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyByPowerOfTwo(Vector256<float> value, Vector256<float> exponent) =>
        (value.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32Native(exponent), 23)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> value, Vector256<float> exponent) =>
        MultiplyByPowerOfTwo(value, Vector256.Floor(exponent));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZeroWhereLess(Vector256<float> x, float limit, Vector256<float> value) =>
        Vector256.AndNot(value, Vector256.LessThan(x, Vector256.Create(limit)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NegativeInfinityWhere(Vector256<float> test, Vector256<float> value) =>
        Vector256.ConditionalSelect(Vector256.Equals(test, Vector256.Create(float.NegativeInfinity)), test, value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepFirst(Vector256<float> value, int lanes, float fill) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(lanes)).AsSingle(), value, Vector256.Create(fill));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float SumAcross(Vector256<float> value) => Vector256.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumAcross4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        if (!Avx.IsSupported) return Vector128.Create(SumAcross(a), SumAcross(b), SumAcross(c), SumAcross(d));
        var ab = Avx.UnpackLow(a, b) + Avx.UnpackHigh(a, b);              // as Width512's, with two 128-bit lanes
        var cd = Avx.UnpackLow(c, d) + Avx.UnpackHigh(c, d);
        var sums = Avx.Shuffle(ab, cd, 0b01_00_01_00) + Avx.Shuffle(ab, cd, 0b11_10_11_10);
        return sums.GetLower() + sums.GetUpper();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(Vector256<float> value) => Width128.MaxAcross(Vector128.Max(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinAcross(Vector256<float> value) => Width128.MinAcross(Vector128.Min(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcrossNative(Vector256<float> value) => Width128.MaxAcrossNative(Vector128.MaxNative(value.GetLower(), value.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinAcrossNative(Vector256<float> value) => Width128.MinAcrossNative(Vector128.MinNative(value.GetLower(), value.GetUpper()));
}

/// <summary>4 floats per operation (SSE, NEON).</summary>
internal readonly struct Width128 : IVectorWidth<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref readonly float source) => Vector128.LoadUnsafe(in source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> CopySign(Vector128<float> value, Vector128<float> sign) => Vector128.CopySign(value, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MinNative(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Round(Vector128<float> x) => Vector128.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fraction(Vector128<float> x) => x - Vector128.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyByPowerOfTwo(Vector128<float> value, Vector128<float> exponent) =>
        (value.AsInt32() + Vector128.ShiftLeft(Vector128.ConvertToInt32Native(exponent), 23)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleByPowerOfTwo(Vector128<float> value, Vector128<float> exponent) =>
        MultiplyByPowerOfTwo(value, Vector128.Floor(exponent));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZeroWhereLess(Vector128<float> x, float limit, Vector128<float> value) =>
        Vector128.AndNot(value, Vector128.LessThan(x, Vector128.Create(limit)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NegativeInfinityWhere(Vector128<float> test, Vector128<float> value) =>
        Vector128.ConditionalSelect(Vector128.Equals(test, Vector128.Create(float.NegativeInfinity)), test, value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> KeepFirst(Vector128<float> value, int lanes, float fill) =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(lanes)).AsSingle(), value, Vector128.Create(fill));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float SumAcross(Vector128<float> value) => Vector128.Sum(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumAcross4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (!Sse.IsSupported) return Vector128.Create(SumAcross(a), SumAcross(b), SumAcross(c), SumAcross(d));
        var ab = Sse.UnpackLow(a, b) + Sse.UnpackHigh(a, b);              // a0+a2, b0+b2, a1+a3, b1+b3
        var cd = Sse.UnpackLow(c, d) + Sse.UnpackHigh(c, d);
        return Sse.Shuffle(ab, cd, 0b01_00_01_00) + Sse.Shuffle(ab, cd, 0b11_10_11_10);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> value) =>
        MathF.Max(MathF.Max(value.GetElement(0), value.GetElement(1)), MathF.Max(value.GetElement(2), value.GetElement(3)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector128<float> value) =>
        MathF.Min(MathF.Min(value.GetElement(0), value.GetElement(1)), MathF.Min(value.GetElement(2), value.GetElement(3)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcrossNative(Vector128<float> value)
    {
        value = Vector128.MaxNative(value, Vector128.Shuffle(value, Vector128.Create(2, 3, 0, 1)));   // lanes (0,2) (1,3)
        return Vector128.MaxNative(value, Vector128.Shuffle(value, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcrossNative(Vector128<float> value)
    {
        value = Vector128.MinNative(value, Vector128.Shuffle(value, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MinNative(value, Vector128.Shuffle(value, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }
}

/// <summary>One float per operation: the remainder after the vector loops, and the whole loop without SIMD hardware.</summary>
internal readonly struct ScalarWidth : IVectorWidth<float>
{
    public static int Count => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref readonly float source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float value, ref float destination) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Divide(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Abs(float x) => MathF.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float CopySign(float value, float sign) => MathF.CopySign(value, sign);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float a, float b, float c) => float.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => MathF.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Min(float a, float b) => MathF.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxNative(float a, float b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinNative(float a, float b) => a < b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Round(float x) => MathF.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Fraction(float x) => x - MathF.Floor(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyByPowerOfTwo(float value, float exponent) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) + ((int)exponent << 23));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScaleByPowerOfTwo(float value, float exponent) => MultiplyByPowerOfTwo(value, MathF.Floor(exponent));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float ZeroWhereLess(float x, float limit, float value) => x < limit ? 0f : value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float NegativeInfinityWhere(float test, float value) => test == float.NegativeInfinity ? test : value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float KeepFirst(float value, int lanes, float fill) => lanes > 0 ? value : fill;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float SumAcross(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> SumAcross4(float a, float b, float c, float d) => Vector128.Create(a, b, c, d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcross(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinAcross(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxAcrossNative(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinAcrossNative(float value) => value;
}
