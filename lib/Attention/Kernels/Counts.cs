namespace Attention.Kernels;

/// <summary>
/// A count known when the JIT compiles a generic kernel (rows of a tile, vectors of a chunk): each value is its own
/// type, so each compiles to straight-line code with the unused accumulators removed.
/// </summary>
internal interface ICount { static abstract int Count { get; } }

internal readonly struct One : ICount { public static int Count => 1; }
internal readonly struct Two : ICount { public static int Count => 2; }
internal readonly struct Three : ICount { public static int Count => 3; }
internal readonly struct Four : ICount { public static int Count => 4; }
internal readonly struct Six : ICount { public static int Count => 6; }
internal readonly struct Eight : ICount { public static int Count => 8; }
