using Attention;
using Course.Charts;
using MathNet.Numerics.LinearAlgebra;

namespace Course.Notebook;

/// <summary>Chart builders for the learner-facing MathNet types (they forward to <see cref="Chart"/>).</summary>
public static class NotebookCharts
{
    /// <summary><paramref name="result"/>'s weights [n_q, n_k] as a heatmap with token labels.</summary>
    public static Figure Heatmap(this AttentionResult result, IReadOnlyList<string>? queryTokens = null, IReadOnlyList<string>? keyTokens = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Chart.AttentionHeatmap(result.Weights.ToArray(), queryTokens, keyTokens, title);
    }

    /// <summary>A matrix [rows, columns] as a heatmap; <paramref name="scale"/> defaults to weights (0..1).</summary>
    public static Figure Heatmap(this Matrix<float> values, IReadOnlyList<string>? rowTokens = null, IReadOnlyList<string>? columnTokens = null,
        string? title = null, HeatmapScale? scale = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Chart.AttentionHeatmap(values.ToArray(), rowTokens, columnTokens, title, scale);
    }

    /// <summary>Where each query looks, one query at a time on a slider.</summary>
    public static Figure QueryBars(this AttentionResult result, IReadOnlyList<string>? queryTokens = null, IReadOnlyList<string>? keyTokens = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Chart.QueryBars(result.Weights.ToArray(), queryTokens, keyTokens);
    }
}
