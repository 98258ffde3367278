using Course.Exercises.Framework;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Exercises;

public static partial class Check
{
    /// <summary>
    /// Notebook 08: cross-attention (one head, no mask). Queries come from the decoder states, keys and values from the
    /// encoder states: Q = D·W_Q, K = E·W_K, V = E·W_V, output = softmax(Q·Kᵀ / √d_k)·V. Every decoder position may
    /// look at every encoder position. Cases include n_dec ≠ n_enc, d_dec ≠ d_enc and scores all far below 0.
    /// </summary>
    /// <param name="crossAttention">
    /// Your function: (decoderStates D [n_dec, d_dec], encoderStates E [n_enc, d_enc], W_Q [d_dec, d_k], W_K [d_enc, d_k],
    /// W_V [d_enc, d_v]) → output [n_dec, d_v].
    /// </param>
    public static CheckResult CrossAttention(
        Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>> crossAttention) =>
        CrossAttentionCheck.Exercise.Run(crossAttention);
}

internal static class CrossAttentionCheck
{
    public sealed record Input(Matrix<float> Decoder, Matrix<float> Encoder, Matrix<float> WQ, Matrix<float> WK, Matrix<float> WV);

    public static readonly Exercise<Input, Func<Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>, Matrix<float>>> Exercise = new()
    {
        Title = "Cross-attention (notebook 08)",
        Outputs = [new OutputSpec("output", "n_dec", "d_v") { Axes = ["decoder position", "column"] }],
        Reference = input => [Forward(input, queriesFrom: input.Decoder, keysFrom: input.Encoder)],
        Invoke = (cross, input) => [Observe.Matrix(cross(input.Decoder, input.Encoder, input.WQ, input.WK, input.WV), "output")],
        Cases =
        [
            new("decoder [3, 6], encoder [5, 6], d_k = 4, d_v = 3", () => Random(131, 3, 6, 5, 6, 4, 3)),
            new("decoder [4, 5], encoder [4, 5] (equal lengths)", () => Random(132, 4, 5, 4, 5, 3, 2)),
            new("decoder [2, 4], encoder [6, 7] (different widths)", () => Random(133, 2, 4, 6, 7, 4, 3)),
            new("one decoder position: decoder [1, 6], encoder [5, 6]", () => Random(134, 1, 6, 5, 6, 4, 4)),
            new("one encoder position: decoder [3, 5], encoder [1, 4] (every output row is that position's value)", () => Random(135, 3, 5, 1, 4, 3, 2)),
            new("every score far below 0 (positive states, W_Q negative, W_K positive): decoder [3, 6], encoder [4, 6]", () => Random(136, 3, 6, 4, 6, 4, 2, negativeScores: true))
            {
                NonFiniteHint = SoftmaxMistakes.UnderflowHint,
            },
        ],
        Mistakes =
        [
            new("roles-swapped", "Your queries come from the encoder and your keys and values from the decoder: the roles are swapped.",
                "The decoder asks (queries: decoderStates·W_Q); the encoder answers (keys and values: encoderStates·W_K, encoderStates·W_V).",
                input => [Forward(input, queriesFrom: input.Encoder, keysFrom: input.Decoder)]),
            new("self-attention", "Your keys and values come from the decoder states: that is self-attention, not cross-attention.",
                "Compute K = encoderStates·W_K and V = encoderStates·W_V.",
                input => [Forward(input, queriesFrom: input.Decoder, keysFrom: input.Decoder)]),
            new("encoder-self-attention", "Your queries come from the encoder states: the output has one row per encoder position.",
                "Compute Q = decoderStates·W_Q: the output has one row per decoder position.",
                input => [Forward(input, queriesFrom: input.Encoder, keysFrom: input.Encoder)]),
            new("causal-mask", "Your output uses a causal mask: in cross-attention every decoder position may look at every encoder position.",
                "Drop the mask: the encoder's states are all known before decoding starts.",
                input => [Forward(input, input.Decoder, input.Encoder, AttentionMath.Causal(input.Decoder.RowCount, input.Encoder.RowCount))]),
            new("causal-mask", "Your output uses a causal mask: in cross-attention every decoder position may look at every encoder position.",
                "Drop the mask: the encoder's states are all known before decoding starts.",
                input => [Forward(input, input.Decoder, input.Encoder,
                    AttentionMath.Causal(input.Decoder.RowCount, input.Encoder.RowCount, input.Encoder.RowCount - input.Decoder.RowCount))]),
            .. AttentionMistakes.For<Input>(AttentionMistakes.Formula, Projected, (result, _) => [result.Output]),
        ],
        ExceptionHint = "MathNet throws when a weight meets the wrong sequence: W_Q [d_dec, d_k] multiplies the decoder states, W_K and W_V [d_enc, ·] the encoder states.",
        ShapeHint = "The output has one row per decoder position and the width of V: [n_dec, d_v].",
        MismatchHint = "Q = decoderStates·W_Q, K = encoderStates·W_K, V = encoderStates·W_V; output = softmax(Q·Kᵀ / √d_k)·V, no mask.",
    };

    private static (Tensor Q, Tensor K, Tensor V, bool[,]? Mask) Projected(Input input) =>
        (TensorMath.MatMul(Tensor.From(input.Decoder), Tensor.From(input.WQ)),
         TensorMath.MatMul(Tensor.From(input.Encoder), Tensor.From(input.WK)),
         TensorMath.MatMul(Tensor.From(input.Encoder), Tensor.From(input.WV)), null);

    private static Tensor Forward(Input input, Matrix<float> queriesFrom, Matrix<float> keysFrom, bool[,]? mask = null)
    {
        Tensor q = TensorMath.MatMul(Tensor.From(queriesFrom), Tensor.From(input.WQ));   // [n_q, d_k]
        Tensor k = TensorMath.MatMul(Tensor.From(keysFrom), Tensor.From(input.WK));      // [n_k, d_k]
        Tensor v = TensorMath.MatMul(Tensor.From(keysFrom), Tensor.From(input.WV));      // [n_k, d_v]
        return AttentionMath.Forward(q, k, v, AttentionMath.DefaultScale(q.Cols), mask).Output;
    }

    // negativeScores: States around +2, W_Q entries around −1 and W_K around +1: every query is negative, every key positive, every score far below 0.
    private static Input Random(int seed, int decoderLength, int decoderDim, int encoderLength, int encoderDim, int headDim, int valueDim, bool negativeScores = false)
    {
        var inputs = new Inputs(seed);
        double state = negativeScores ? 2 : 0, weight = negativeScores ? 1 : 0;
        return new(inputs.Matrix(decoderLength, decoderDim, 1, state), inputs.Matrix(encoderLength, encoderDim, 1, state),
            inputs.Matrix(decoderDim, headDim, 2 / Math.Sqrt(decoderDim), -weight), inputs.Matrix(encoderDim, headDim, 2 / Math.Sqrt(encoderDim), weight),
            inputs.Matrix(encoderDim, valueDim, 1 / Math.Sqrt(encoderDim)));
    }
}
