namespace Attention.MiniLM.Tests;

public static class Compare
{
    /// <summary>Largest |a[i] − b[i]|; the lengths must match.</summary>
    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double difference = Math.Abs((double)a[i] - b[i]);
            if (double.IsNaN(difference)) return double.PositiveInfinity;
            max = Math.Max(max, difference);
        }
        return max;
    }
}
