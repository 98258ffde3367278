namespace Attention.Kernels.Simd;

// Operator structs in the style of System.Numerics.Tensors.TensorPrimitives: an operator says what happens to one
// vector; VectorDriver walks the spans, picks the widths and handles the remainders. Each operator body is written
// once, generic over the width, and the JIT compiles it for Vector512, Vector256, Vector128 and float.

/// <summary>y = f(x), lane by lane.</summary>
internal interface IMapOperator
{
    TVec Invoke<TW, TVec>(TVec x) where TW : IVectorWidth<TVec> where TVec : struct;
}

/// <summary>y = f(x, z), lane by lane.</summary>
internal interface IZipOperator
{
    TVec Invoke<TW, TVec>(TVec x, TVec z) where TW : IVectorWidth<TVec> where TVec : struct;
}

/// <summary>An associative reduction (sum, max) with its identity element.</summary>
internal interface IAggregateOperator
{
    float Identity { get; }
    TVec Combine<TW, TVec>(TVec a, TVec b) where TW : IVectorWidth<TVec> where TVec : struct;
    float Across<TW, TVec>(TVec value) where TW : IVectorWidth<TVec> where TVec : struct;
}
