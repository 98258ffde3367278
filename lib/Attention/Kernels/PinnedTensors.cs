namespace Attention.Kernels;

/// <summary>
/// The tensors of one call as raw pointers, so that work items running on other threads (Parallel.For lambdas,
/// which cannot capture spans) can see them. Only valid inside the <c>fixed</c> block that created it; the kernels
/// turn the pointers back into spans at once and never keep them.
/// </summary>
internal readonly unsafe struct PinnedTensors
{
    private readonly float* _q, _k, _v, _output, _weights;
    private readonly int _qLength, _kLength, _vLength, _outputLength, _weightsLength;

    public PinnedTensors(float* q, int qLength, float* k, int kLength, float* v, int vLength,
        float* output, int outputLength, float* weights, int weightsLength)
    {
        _q = q; _k = k; _v = v; _output = output; _weights = weights;
        (_qLength, _kLength, _vLength, _outputLength, _weightsLength) = (qLength, kLength, vLength, outputLength, weightsLength);
    }

    public ReadOnlySpan<float> Q => new(_q, _qLength);              // [heads, n_q, d_k]
    public ReadOnlySpan<float> K => new(_k, _kLength);              // [kvHeads, n_k, d_k]
    public ReadOnlySpan<float> V => new(_v, _vLength);              // [kvHeads, n_k, d_v]
    public Span<float> Output => new(_output, _outputLength);       // [heads, n_q, d_v]
    public Span<float> Weights => new(_weights, _weightsLength);    // [heads, n_q, n_k] or empty
}
